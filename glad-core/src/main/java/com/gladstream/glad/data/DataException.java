package com.gladstream.glad.data;

/**
 * Input data that cannot be used: a missing folder, an empty category, an unreadable or corrupt
 * image. The message is one line naming the offending file or folder, fit to show a user as is.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
