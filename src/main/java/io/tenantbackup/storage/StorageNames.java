package io.tenantbackup.storage;

import java.util.stream.Stream;

/** The names every driver accepts: relative, '/'-separated, no empty, '.' or '..' segment, no backslash. */
final class StorageNames {

    private StorageNames() {
    }

    static String requireValid(String name, StorageUri uri) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\")
                || Stream.of(name.split("/", -1)).anyMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."))) {
            throw new IllegalArgumentException("Invalid file name '" + name + "' for storage " + uri);
        }
        return name;
    }
}
