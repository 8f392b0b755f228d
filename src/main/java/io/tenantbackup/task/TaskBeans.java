package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/** Finds the {@link Task} bean a persisted node names by class. */
@ApplicationScoped
class TaskBeans {

    /** Injecting every Task also keeps ArC from removing task beans that nothing else injects. */
    @Inject
    @Any
    Instance<Task> tasks;

    /** Matches bean classes by name rather than loading the class reflectively, so it also works in a native image. */
    Task forClass(String className, String nodeName) {
        List<? extends Instance.Handle<Task>> candidates = tasks.handlesStream()
                .filter(handle -> handle.getBean().getBeanClass().getName().equals(className))
                .toList();
        if (candidates.size() != 1) {
            throw new IllegalStateException("Node '" + nodeName + "' names task class " + className + ", which is "
                    + (candidates.isEmpty() ? "not a Task of this service" : "not a single CDI bean"));
        }
        return candidates.get(0).get();
    }

    boolean safeToRerun(String className, String nodeName) {
        try {
            return forClass(className, nodeName).safeToRerun();
        } catch (IllegalStateException unknownTask) {
            return false;
        }
    }
}
