package dev.tokenauthority.authority.config;

import dev.tokenauthority.authority.keys.KeyEncryptionKey;
import dev.tokenauthority.cli.StartupRefusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

/**
 * The key-encryption key's file: one line holding 32 random bytes in base64 (RFC 4648 §4, with
 * padding: 44 characters), e.g. {@code head -c 32 /dev/urandom | base64 > kek; chmod 600 kek}.
 * Leading and trailing white space is ignored. A file that group or others may read or write, or
 * that does not hold exactly that, is refused with a message naming the file (never its content).
 */
public final class KeyEncryptionKeyFile {

    private static final String FORMAT = "it must hold one line: " + KeyEncryptionKey.LENGTH_BYTES
            + " random bytes in base64 (head -c 32 /dev/urandom | base64)";

    private KeyEncryptionKeyFile() {}

    /** Reads a KEK file. @throws StartupRefusal when it is missing, open to other users or malformed */
    public static KeyEncryptionKey read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new StartupRefusal("key-encryption key file " + file + " does not exist or is not a file");
            }
            if (PrivateFiles.isOpenToOthers(file)) {
                throw new StartupRefusal("key-encryption key file " + file + " is open to other users (mode "
                        + PrivateFiles.mode(file) + "): only its owner may read it; run chmod 600 " + file);
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
                throw new StartupRefusal("key-encryption key file " + file + " is not base64: " + FORMAT);
            }
            if (material.length != KeyEncryptionKey.LENGTH_BYTES) {
                throw new StartupRefusal("key-encryption key file " + file + " holds " + material.length
                        + " bytes: " + FORMAT);
            }
            return KeyEncryptionKey.of(material);
        } catch (IOException e) {
            throw new StartupRefusal("cannot read key-encryption key file " + file + ": " + e.getMessage());
        }
    }

    /** Writes a new random KEK to a file that must not exist yet, 0600 from the start. */
    public static KeyEncryptionKey generate(Path file) throws IOException {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        byte[] line = (Base64.getEncoder().encodeToString(kek.material()) + "\n").getBytes(StandardCharsets.US_ASCII);
        if (Files.exists(file)) {
            throw new java.nio.file.FileAlreadyExistsException(file.toString());
        }
        PrivateFiles.file(file);
        Files.write(file, line, StandardOpenOption.TRUNCATE_EXISTING);
        return kek;
    }
}
