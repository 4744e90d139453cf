package dev.tokenauthority.authority.config;

import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.keys.KeyEncryptionException;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.keys.SigningKeyRewrap;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.storage.Transactor;
import dev.tokenauthority.cli.StartupRefusal;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The offline form of {@code KeyService.RewrapSigningKeys}: re-encrypts every stored signing key
 * under the first {@code --key-encryption-key-file}, opening each with whichever listed KEK sealed
 * it; audited as the system. Safe while authorities run (it takes the lock key rotation takes), but
 * each of them must already be configured with the new KEK to open what it rewrote.
 */
@Command(name = "rewrap-keys", mixinStandardHelpOptions = true,
        description = "Re-encrypt the stored signing keys under the first --key-encryption-key-file (KEK rotation).")
public final class RewrapKeysCommand implements Callable<Integer> {

    @Mixin
    StorageOptions storage;

    @Option(names = "--reason", defaultValue = "rewrap-keys command", description = "Why, for the audit log.")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!storage.hasKeyEncryptionKeyFiles()) {
            throw new StartupRefusal("rewrap-keys needs --key-encryption-key-file NEW,OLD: the first seals the keys"
                    + " from now on, the others open the keys sealed before");
        }
        if (storage.isEmbedded()) {
            storage.prepareDataDirectory();
        }
        KeyEncryptionKeys keks = storage.keyEncryptionKeys();
        try (Database database = storage.open(2, true)) {
            SigningKeyRewrap.Result result = new SigningKeyRewrap(new Transactor(database), keks, new AuditLog(),
                    Clock.systemUTC()).rewrap(new CallContext(null, Actor.system()), reason);
            spec.commandLine().getOut().printf("re-encrypted %d keys (signing keys and the refresh successor key);"
                    + " every stored key is now sealed by key-encryption key %s%n", result.rewrapped(), result.kekId());
        } catch (KeyEncryptionException e) {
            throw new StartupRefusal(e.getMessage());
        }
        if (storage.isEmbedded()) {
            storage.tightenDataDirectory();
        }
        return 0;
    }
}
