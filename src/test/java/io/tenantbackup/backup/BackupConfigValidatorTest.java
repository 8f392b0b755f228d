package io.tenantbackup.backup;

import io.tenantbackup.backup.BackupConfigRequest.DeletePolicy;
import io.tenantbackup.error.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackupConfigValidatorTest {

    private static final String DATA = "file:///backup/t1/data";
    private static final String ARCHIVE = "file:///backup/t1/archive";

    @Test
    void postNeedsDataThenArchiveUri() {
        assertCode("OB.Backup.DataBaseUriEmpty", () -> BackupConfigValidator.forCreate(request(null, null)));
        assertCode("OB.Backup.DataBaseUriEmpty", () -> BackupConfigValidator.forCreate(request("", ARCHIVE)));
        assertCode("OB.Backup.ArchiveBaseUriEmpty", () -> BackupConfigValidator.forCreate(request(DATA, "")));
    }

    @Test
    void patchNeedsArchiveUriForArchiveSettings() {
        ServiceException e = assertThrows(ServiceException.class, () -> BackupConfigValidator.forUpdate(
                new BackupConfigRequest(DATA, null, null, null, "optional", null, null, null)));
        assertEquals("OB.Backup.ArchiveBaseUriEmpty", e.code().errCode());
        assertEquals("If binding is set, archive_base_uri must be set", e.getMessage());
        assertCode("OB.Backup.ArchiveBaseUriEmpty", () -> BackupConfigValidator.forUpdate(
                new BackupConfigRequest(null, "", null, null, null, "1d", null, null)));
        BackupConfigValidator.forUpdate(new BackupConfigRequest(null, null, 5, null, null, null, null, null));
    }

    @Test
    void rangesBindingPiecePolicyUrisAndLagInObshellOrder() {
        assertCode("OB.Backup.LogArchiveConcurrency.Invalid", () -> create(101, -1, "bad", "0d", "x", "ftp://x", "3h"));
        assertCode("OB.Backup.HaLowThreadScore.Invalid", () -> create(100, -1, "bad", "0d", "x", "ftp://x", "3h"));
        assertCode("OB.Backup.Binding.Invalid", () -> create(0, 100, "bad", "0d", "x", "ftp://x", "3h"));
        assertCode("Common.InvalidTimeDuration", () -> create(0, 0, "mandatory", "1x", "x", "ftp://x", "3h"));
        assertCode("Common.InvalidTimeDuration", () -> create(0, 0, "", "0d", "x", "ftp://x", "3h"));
        assertCode("Common.InvalidTimeDuration", () -> create(0, 0, "", "1h30m", "x", "ftp://x", "3h"));
        assertCode("OB.Backup.PieceSwitchInterval.Invalid", () -> create(0, 0, "", "23h", "x", "ftp://x", "3h"));
        assertCode("OB.Backup.PieceSwitchInterval.Invalid", () -> create(0, 0, "", "8D", "x", "ftp://x", "3h"));
        assertCode("OB.Backup.DeletePolicy.Invalid", () -> create(0, 0, "", "7d", "x", "ftp://x", "3h"));
        assertCode("OB.Storage.URI.Invalid", () -> create(0, 0, "", "1D", "DEFAULT", "ftp://x", "3h"));
        assertCode("OB.Storage.URI.Invalid", () -> create(0, 0, "", "1d", "", "s3://b/x", "3h"));
        assertCode("OB.Backup.ArchiveLagTarget.Invalid", () -> create(0, 0, "", "1d", "", "s3://b/x?host=h", "121m"));
        assertCode("OB.Backup.ArchiveLagTargetForS3.Invalid", () -> create(0, 0, "", "1d", "", "s3://b/x?host=h", "59s"));
        assertCode("OB.Backup.ArchiveLagTarget.Invalid", () -> create(0, 0, "", "1d", "", ARCHIVE, "121M"));
        assertCode("Common.InvalidTimeDuration", () -> create(0, 0, "", "1d", "", ARCHIVE, "-1m"));
    }

    @Test
    void archiveLagTargetLiesBetweenOneSecondAndTwoHoursWithOrWithoutAnArchiveUri() {
        for (String tooSmall : List.of("1ns", "999ms", "1us")) {
            ServiceException e = assertThrows(ServiceException.class, () -> create(0, 0, "", "1d", "", ARCHIVE, tooSmall));
            assertEquals("OB.Backup.ArchiveLagTarget.Invalid", e.code().errCode());
            assertEquals(400, e.code().httpStatus());
            assertEquals("archive_lag_target " + tooSmall + " is invalid, it must be between 1s and 2h", e.getMessage());
        }
        assertCode("OB.Backup.ArchiveLagTarget.Invalid", () -> BackupConfigValidator.forUpdate(
                new BackupConfigRequest(null, null, null, null, null, null, "1ns", null)));
        assertEquals("1s", create(0, 0, "", "1d", "", ARCHIVE, "1S").archiveLagTarget());
        assertEquals("7200s", create(0, 0, "", "1d", "", ARCHIVE, "7200s").archiveLagTarget());
    }

    @Test
    void normalizesLikeObshell() {
        BackupConfigRequest valid = create(100, 0, "", "604800s", "", ARCHIVE, "2H");
        assertEquals("OPTIONAL", valid.binding());
        assertEquals("2h", valid.archiveLagTarget());
        assertEquals("default", valid.deletePolicy().policy());
        assertEquals("MANDATORY", create(0, 0, "Mandatory", null, "Default", ARCHIVE, "").binding());
    }

    @Test
    void deletePolicyNeedsAValidRecoveryWindowAndNoneRemovesIt() {
        for (String bad : List.of("7", "1h30m", "0d", "366d", "-1d", "7x")) {
            ServiceException e = assertThrows(ServiceException.class, () -> policy("default", bad));
            assertEquals("Common.InvalidTimeDuration", e.code().errCode());
            assertEquals(400, e.code().httpStatus());
            assertEquals(true, e.getMessage().contains("delete_policy.recovery_window"), e.getMessage());
        }
        assertCode("Common.InvalidTimeDuration", () -> policy("", null));
        assertCode("Common.InvalidTimeDuration", () -> policy("default", ""));
        assertCode("OB.Backup.DeletePolicy.Invalid", () -> policy("weekly", "7d"));
        assertEquals(new DeletePolicy("default", "36h"), policy("Default", "36H").deletePolicy());
        assertEquals(new DeletePolicy("none", null), policy("NONE", "bad").deletePolicy());
    }

    private static BackupConfigRequest policy(String policy, String window) {
        return BackupConfigValidator.forUpdate(new BackupConfigRequest(null, null, null, null, null, null, null,
                new DeletePolicy(policy, window)));
    }

    private static BackupConfigRequest create(int concurrency, int score, String binding, String piece, String policy,
                                              String archive, String lag) {
        return BackupConfigValidator.forCreate(new BackupConfigRequest(DATA, archive, concurrency, score, binding,
                piece, lag, new DeletePolicy(policy, "7d")));
    }

    private static BackupConfigRequest request(String data, String archive) {
        return new BackupConfigRequest(data, archive, null, null, null, null, null, null);
    }

    private static void assertCode(String code, Executable call) {
        assertEquals(code, assertThrows(ServiceException.class, call).code().errCode());
    }
}
