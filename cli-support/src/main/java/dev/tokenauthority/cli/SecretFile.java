package dev.tokenauthority.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A secret (password, client secret) kept in a file a flag names: read whole, surrounding white space dropped. */
public final class SecretFile {

    private SecretFile() {}

    /** The secret in {@code file}; a missing, unreadable or empty file is a {@link StartupRefusal} naming the flag. */
    public static String read(Flag flag, Path file) {
        String secret;
        try {
            secret = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new StartupRefusal(flag.name() + " " + file + ": no such file; write the secret into it, or point "
                    + flag + " at the file that holds it");
        } catch (AccessDeniedException e) {
            throw new StartupRefusal(flag.name() + " " + file + ": this user may not read it; give it to the user "
                    + "the program runs as (chown), mode 0600");
        } catch (IOException e) {
            throw new StartupRefusal(flag.name() + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (secret.isEmpty()) {
            throw new StartupRefusal(flag.name() + " " + file + ": the file is empty; write the secret into it");
        }
        return secret;
    }
}
