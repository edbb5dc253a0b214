package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads a secret file the way ssh reads a private key: refused when other users may read or
 * change it, because a passphrase in a world-readable file protects nothing. The bytes read are
 * cleared once decoded.
 */
final class SecretFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private SecretFiles() {
    }

    static char[] read(SecretName secret, Path file) {
        byte[] bytes = null;
        try {
            checkOwnerOnly(secret, file);
            bytes = Files.readAllBytes(file);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
            char[] all = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            char[] secretChars = Arrays.copyOf(all, lengthWithoutNewline(all));
            Arrays.fill(all, '\0');
            return secretChars;
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    secret.key() + " comes from file " + file + ", which cannot be read: " + describe(e),
                    "check the path in " + secret.fileKey().dotted() + " and that this user owns the file", e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static void checkOwnerOnly(SecretName secret, Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // no POSIX modes on this file system; access is governed by ACLs instead
        }
        Set<PosixFilePermission> mode = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    secret.key() + " file " + file + " is accessible by other users (mode "
                            + octal(mode) + "); refusing to use it",
                    "chmod 600 " + file);
        }
    }

    /** The mode as {@code ls} users and {@code chmod} write it, e.g. {@code 0644}. */
    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 0400 >> p.ordinal(); // the enum runs OWNER_READ .. OTHERS_EXECUTE, high bit first
        }
        return String.format("%04o", bits);
    }

    /** Editors and {@code echo} end files with a newline that is not part of the secret. */
    private static int lengthWithoutNewline(char[] chars) {
        int length = chars.length;
        if (length > 0 && chars[length - 1] == '\n') {
            length--;
            if (length > 0 && chars[length - 1] == '\r') {
                length--;
            }
        }
        return length;
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : e.toString();
    }
}
