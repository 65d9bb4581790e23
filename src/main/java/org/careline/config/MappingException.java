package org.careline.config;

/** A file under mappings/ is missing, malformed or names something that does not exist; says which file and key. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
