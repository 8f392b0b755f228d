package io.tenantbackup.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets HotSpot to compile AES-GCM's inner calls with C2 before the first large file is encrypted. The CLMUL/AES-NI
 * intrinsics of JDK 17 ({@code GHASH.processBlocks}, {@code CounterMode.implCrypt}) are used only when their callers
 * ({@code GHASH.update}, {@code CounterMode.crypt}) are C2-compiled, which takes some thousands of calls: a fresh
 * service encrypting a backup in 64 KiB segments makes too few (about 4 per segment, 2,000 segments per 120 MB stored)
 * and runs GCM in Java at 20-100 MB/s for the whole backup; with the intrinsics it runs at GB/s. Measured (JFR,
 * 1.1 GB tenant): before, GCM took 155 of 240 samples of the streaming thread. Tiny segments make the calls cheap:
 * {@value #SEGMENTS} of them cost about 0.3-0.5 s of one core, once per JVM, on a thread of its own.
 */
final class AesGcmWarmUp {

    static final int SEGMENTS = 20_000;
    private static final int SEGMENT_BYTES = 64;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private AesGcmWarmUp() {
    }

    /** Starts the warm-up in the background the first time it is called; later calls return at once. */
    static void start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread thread = new Thread(AesGcmWarmUp::run, "aes-gcm-warm-up");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.start();
        }
    }

    /** Seals and opens throw-away segments under a throw-away key: the same calls as {@link SegmentedAesGcm}. */
    private static void run() {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
            byte[] plain = new byte[SEGMENT_BYTES];
            byte[] sealed = new byte[SEGMENT_BYTES + SegmentedAesGcm.TAG_BYTES];
            for (int segment = 0; segment < SEGMENTS; segment++) {
                GCMParameterSpec nonce = new GCMParameterSpec(SegmentedAesGcm.TAG_BYTES * 8,
                        ByteBuffer.allocate(12).putInt(4, segment).array());
                cipher.init(Cipher.ENCRYPT_MODE, key, nonce);
                int length = cipher.doFinal(plain, 0, plain.length, sealed, 0);
                if (segment % 4 == 0) {
                    cipher.init(Cipher.DECRYPT_MODE, key, nonce);
                    cipher.doFinal(sealed, 0, length, plain, 0);
                }
            }
        } catch (GeneralSecurityException e) {
            // a JDK without AES/GCM fails the real encryption with its own message; there is nothing to warm up
        }
    }
}
