package io.tenantbackup.tenant;

import io.tenantbackup.ServiceConfig;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tenants as a Java API for the resources and the other domains. Every request is validated completely before
 * anything is written, so a refused request creates nothing; the work itself runs as a DAG.
 */
@ApplicationScoped
public class TenantService {

    @Inject
    ServiceConfig config;
    @Inject
    TenantStore store;
    @Inject
    RouteTenant routeTenant;
    @Inject
    PendingSecrets secrets;
    @Inject
    TaskEngine engine;
    @Inject
    TenantProcesses processes;
    @Inject
    LocalAgent local;
    @Inject
    TenantSupervisor supervisor;

    /**
     * Records a CREATING tenant and submits "Create tenant", which runs once this transaction has committed. The
     * root password stays in memory only; a request without one gets a generated one, which only this answer
     * carries. A refused submission (tenant under maintenance) writes nothing.
     */
    @Transactional
    public TenantCreation create(CreateTenantCommand command) {
        String name = command.name();
        TenantNames.validate(name);
        CharsetCatalog.ServerCharset charset =
                CharsetCatalog.mariaDb().resolve(name, command.charset(), command.collation());
        Map<String, String> variables = TenantVariables.normalize(name, command.variables());
        insertNew(name, TenantStatus.CREATING, charset, variables, command.oceanBaseOptions(), row -> { });
        String generated = command.hasRootPassword() ? null : TenantRootAccount.generatePassword();
        secrets.put(name, command.hasRootPassword() ? command.rootPassword() : generated);
        try {
            return new TenantCreation(engine.submit(TenantDags.create(name), Map.of(TenantDags.TENANT_NAME, name)),
                    Optional.ofNullable(generated));
        } catch (RuntimeException e) {
            secrets.discard(name);
            throw e;
        }
    }

    /**
     * Reserves {@code name} for a restore (call inside the restore's transaction): a RESTORING row with its port and
     * server id, the server's default charset and the request's OceanBase-only fields. The datadir itself comes
     * from the backup; see {@link RestoredTenants}.
     */
    @Transactional
    public TenantInstance reserveForRestore(String name, Map<String, Object> oceanBaseOptions) {
        TenantNames.validate(name);
        CharsetCatalog.ServerCharset charset = CharsetCatalog.mariaDb().resolve(name, null, null);
        return insertNew(name, TenantStatus.RESTORING, charset, Map.of(), oceanBaseOptions,
                row -> row.port = FreePorts.pick(name, store.recordedPorts())).instance();
    }

    /**
     * Refuses a new tenant (created or restored) once TENANT_BACKUP_MAX_TENANTS exist, whatever their state: each is
     * a mariadbd with its own memory and disk on this host.
     */
    public void requireRoomForOneMore() {
        long count = store.count();
        if (count >= config.maxTenants()) {
            throw TenantErrors.COUNT_EXCEEDS_LIMIT.exception("There are already " + count + " tenants, the limit is "
                    + config.maxTenants() + ": drop a tenant first, or raise TENANT_BACKUP_MAX_TENANTS.");
        }
    }

    /** Inserts the row of a tenant that does not exist yet, in {@code $dataDir/<name>}; a taken name is Existed. */
    private TenantEntity insertNew(String name, TenantStatus status, CharsetCatalog.ServerCharset charset,
                                   Map<String, String> variables, Map<String, Object> oceanBaseOptions,
                                   Consumer<TenantEntity> completion) {
        MariaDbLayout layout = new MariaDbLayout(config.dataDir().resolve(name).toAbsolutePath());
        if (store.find(name).isPresent()) {
            throw existed(name);
        }
        requireRoomForOneMore();
        requireUsableHome(name, layout);
        TenantEntity row = new TenantEntity();
        row.name = name;
        row.status = status;
        row.homeDir = layout.home().toString();
        row.charset = charset.charset();
        row.collation = charset.collation();
        row.variablesJson = TenantJson.write(variables);
        row.createRequestJson = TenantJson.write(oceanBaseOptions);
        row.ownerAgent = local.identity();
        completion.accept(row);
        try {
            store.insert(row);
        } catch (ConstraintViolationException e) {
            throw existed(name);
        }
        return row;
    }

    /** Marks the tenant DROPPING (no longer supervised nor offered to other domains) and submits "Drop tenant". */
    @Transactional
    public DagEntity delete(String name) {
        TenantNames.validate(name);
        TenantEntity row = store.require(name);
        if (row.status == TenantStatus.CREATING || row.status == TenantStatus.RESTORING) {
            throw TenantErrors.underMaintenance(name);
        }
        row.status = TenantStatus.DROPPING;
        return engine.submit(TenantDags.drop(name), Map.of(TenantDags.TENANT_NAME, name));
    }

    /**
     * The check of every /tenant/{name}/... route (TenantRouteFilter): the tenant must exist. Its row, read in one plain
     * statement, is kept for the rest of the request ({@link #getOfRoute}, {@link #isUpOfRoute},
     * {@link #requireNormalOfRoute}).
     */
    public void checkRoute(String name) {
        TenantNames.validate(name);
        routeTenant.remember(store.read(name).orElseThrow(() -> TenantErrors.notExist(name)));
    }

    /** {@link #get} from the row the route check of this request read, if it read one. */
    public Tenant getOfRoute(String name) {
        return Tenant.of(routeRow(name));
    }

    /** {@link TenantSupervisor#isUp} of the row the route check of this request read, if it read one. */
    public boolean isUpOfRoute(String name) {
        return supervisor.isUp(routeRow(name));
    }

    /** {@link #requireNormal} from the row the route check of this request read, if it read one. */
    public TenantInstance requireNormalOfRoute(String name) {
        return requireNormal(routeRow(name)).instance();
    }

    private TenantEntity routeRow(String name) {
        return routeTenant.of(name).orElseGet(() -> {
            TenantNames.validate(name);
            return store.require(name);
        });
    }

    public Tenant get(String name) {
        TenantNames.validate(name);
        return Tenant.of(store.require(name));
    }

    /** Whether a tenant of that name exists, whatever its status: one statement. */
    public boolean exists(String name) {
        return store.read(name).isPresent();
    }

    public List<Tenant> list() {
        return store.all().stream().map(Tenant::of).toList();
    }

    /** Every NORMAL tenant's instance, by id: "the cluster" of the obcluster routes. */
    public List<TenantInstance> normalInstances() {
        return store.withStatus(TenantStatus.NORMAL).stream().map(TenantEntity::instance)
                .sorted(Comparator.comparingLong(TenantInstance::id)).toList();
    }

    /** The instance of a NORMAL tenant, for other domains (backup, restore, archive). */
    public TenantInstance requireNormal(String name) {
        return normal(name).instance();
    }

    /**
     * Starts a NORMAL tenant's instance with its recorded port, options and variables, for DAGs that stopped it
     * (e.g. a restore); a running instance is left as it is.
     */
    public void startInstance(String name, Consumer<String> log) throws IOException, InterruptedException, SQLException {
        processes.start(normal(name), log);
    }

    /** Stops a NORMAL tenant's instance cleanly. The supervisor leaves it down while a DAG holds the tenant. */
    public void stopInstance(String name, Consumer<String> log) throws InterruptedException {
        processes.stop(normal(name), log);
    }

    private TenantEntity normal(String name) {
        TenantNames.validate(name);
        return requireNormal(store.require(name));
    }

    private static TenantEntity requireNormal(TenantEntity row) {
        requireNormal(row.name, row.status);
        return row;
    }

    /**
     * The route check and {@link #requireNormalOfRoute} for a read that looked the tenant's status up by its (valid)
     * name in its own statement: {@code status} is empty when no tenant has that name. The same errors.
     */
    public static void requireNormalOfRead(String name, Optional<TenantStatus> status) {
        requireNormal(name, status.orElseThrow(() -> TenantErrors.notExist(name)));
    }

    private static void requireNormal(String name, TenantStatus status) {
        if (status != TenantStatus.NORMAL) {
            throw TenantErrors.underMaintenance(name);
        }
    }

    private static void requireUsableHome(String name, MariaDbLayout layout) {
        try {
            layout.requireUsableSocketPath();
        } catch (IllegalArgumentException e) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("Tenant '" + name + "': " + e.getMessage());
        }
        if (Files.exists(layout.home())) {
            throw TenantErrors.EXISTED.exception("Tenant '" + name + "' cannot be created: its directory "
                    + layout.home() + " already exists and belongs to no tenant; move it away first.");
        }
    }

    private static RuntimeException existed(String name) {
        return TenantErrors.EXISTED.exception("Tenant '" + name + "' already exists.");
    }
}
