package io.tenantbackup.auth;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The body of an authenticated request: standard base64 of AES-128-CBC with PKCS#7 padding, key and IV the 16 + 16
 * bytes of the header's {@code keys}. The JDK's PKCS5Padding checks every padding byte; the plain text must then be
 * one JSON document, since CBC without a MAC lets a blind attacker flip bits.
 */
final class BodyDecryptor {

    private static final int AES_BLOCK = 16;

    private BodyDecryptor() {
    }

    /** The JSON body; a GeneralSecurityException or IOException, never naming the content, when it is not one. */
    static byte[] decrypt(String keys, byte[] base64Body) throws GeneralSecurityException, IOException {
        if (keys == null) {
            throw new GeneralSecurityException("a body without keys");
        }
        byte[] keyAndIv = decodeBase64(keys.getBytes(StandardCharsets.US_ASCII));
        if (keyAndIv.length != 2 * AES_BLOCK) {
            throw new GeneralSecurityException("keys are not 32 bytes");
        }
        byte[] ciphertext = decodeBase64(base64Body);
        if (ciphertext.length == 0 || ciphertext.length % AES_BLOCK != 0) {
            throw new GeneralSecurityException("ciphertext is not a whole number of blocks");
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyAndIv, 0, AES_BLOCK, "AES"),
                new IvParameterSpec(keyAndIv, AES_BLOCK, AES_BLOCK));
        byte[] plain = cipher.doFinal(ciphertext);
        Arrays.fill(keyAndIv, (byte) 0);
        if (plain.length > 0) {
            StrictJson.parse(plain);
        }
        return plain;
    }

    static byte[] decodeBase64(byte[] text) throws GeneralSecurityException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64");
        }
    }
}
