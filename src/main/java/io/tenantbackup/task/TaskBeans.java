package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** Finds the {@link Task} bean a persisted node names by class. */
@ApplicationScoped
class TaskBeans {

    /** Injecting every Task also keeps ArC from removing task beans that nothing else injects. */
    @Inject
    @Any
    Instance<Task> tasks;

    Task forClass(String className, String nodeName) {
        Class<? extends Task> type;
        try {
            type = Class.forName(className, true, TaskBeans.class.getClassLoader()).asSubclass(Task.class);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("Node '" + nodeName + "' names task class " + className
                    + ", which is not a Task of this service", e);
        }
        Instance<? extends Task> candidates = tasks.select(type);
        if (!candidates.isResolvable()) {
            throw new IllegalStateException("Task class " + className + " of node '" + nodeName
                    + "' is not a single CDI bean");
        }
        return candidates.get();
    }

    boolean safeToRerun(String className, String nodeName) {
        try {
            return forClass(className, nodeName).safeToRerun();
        } catch (IllegalStateException unknownTask) {
            return false;
        }
    }
}
