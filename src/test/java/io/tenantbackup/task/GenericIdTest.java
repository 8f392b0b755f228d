package io.tenantbackup.task;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.error.ServiceException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tenantbackup.task.TaskEngineTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@QuarkusTest
class GenericIdTest {

    @Inject
    TaskQueries queries;

    @Test
    void clusterIdsArePrefixedWithOne() {
        assertEquals("11024", GenericId.encode(1024));
        assertEquals(1024, GenericId.decode("11024"));
        assertEquals(0, GenericId.decode("10"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "21024", "abc", "1x2", "-11", "1 2", "110000000000000000000"})
    void malformedIdsAreRejected(String id) {
        ServiceException error = assertThrows(ServiceException.class, () -> GenericId.decode(id));
        assertEquals("Task.GenericID.Invalid", error.code().errCode());
        assertEquals(400, error.code().httpStatus());
    }

    @Test
    void unknownIdsAreNotFound() {
        assertCode("Task.NotFound", 404, () -> queries.dag(GenericId.decode("1987654321")));
        assertCode("Task.NotFound", 404, () -> queries.node(987654321L));
        assertCode("Task.NotFound", 404, () -> queries.subTask(987654321L));
        assertCode("Task.NotFound", 404, () -> queries.logs(987654321L));
        assertEquals("Task not found: record not found",
                assertThrows(ServiceException.class, () -> queries.dag(987654321L)).getMessage());
    }
}
