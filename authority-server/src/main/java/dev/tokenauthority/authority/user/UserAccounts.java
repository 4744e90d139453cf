package dev.tokenauthority.authority.user;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.crypto.PasswordHashPool;
import dev.tokenauthority.authority.crypto.Secrets;
import java.time.Instant;
import java.util.List;

/**
 * Creates user accounts; the password is hashed here, on the shared hash pool (so a busy authority
 * answers RESOURCE_EXHAUSTED here too), and never stored or logged otherwise.
 */
public final class UserAccounts {

    /** NIST SP 800-63B section 5.1.1.2: at least 8 characters. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private final PasswordHashPool passwords;

    public UserAccounts(PasswordHashPool passwords) {
        this.passwords = passwords;
    }

    public User create(Transaction tx, String email, String password, List<String> roles, Instant now) {
        if (!email.contains("@") || email.length() > 320) {
            throw AuthorityException.invalidArgument("email", "is not an email address");
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw AuthorityException.invalidArgument("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        UserStore dao = tx.store(UserStore.class);
        String normalized = User.normalizeEmail(email);
        if (dao.findByEmail(normalized).isPresent()) {
            throw new AuthorityException(AuthorityException.Kind.ALREADY_EXISTS, "a user with this email exists");
        }
        User user = new User(Secrets.newId("usr_"), email.trim(), passwords.hash(password), roles, false, null, now, now);
        dao.insert(user, normalized, SpaceSeparated.join(roles));
        return user;
    }
}
