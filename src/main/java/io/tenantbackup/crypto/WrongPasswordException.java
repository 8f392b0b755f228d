package io.tenantbackup.crypto;

import java.io.IOException;

/** The password given for an encrypted backup set does not produce the key its manifest was written with. */
public class WrongPasswordException extends IOException {

    public WrongPasswordException(String message) {
        super(message);
    }
}
