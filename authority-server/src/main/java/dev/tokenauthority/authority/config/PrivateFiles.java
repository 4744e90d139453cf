package dev.tokenauthority.authority.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner-only modes for the data directory (0700) and every file the authority keeps there (0600):
 * the database, the key-encryption key, the demo secret. A JVM cannot set its umask, so files are
 * created with their mode where the authority creates them (H2's files among them: H2 opens an
 * empty database file it finds and keeps its mode), and whatever is looser, left by an earlier
 * version, an operator's copy or a file H2 created itself, is tightened with a warning. The
 * directory's own mode is what keeps other users out of files created later. On a file system
 * without POSIX permissions all of this is skipped.
 */
final class PrivateFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Creates the directory 0700 (with its missing parents), or takes group and others' access off it (off the
     * directory a symlink leads to, when it is one).
     */
    static void directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            if (isPosix(dir.toAbsolutePath().getParent())) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
                return;
            }
            Files.createDirectory(dir);
        }
        tighten(dir.toRealPath());
    }

    /** Creates an empty file 0600 if it does not exist, or takes group and others' access off it. */
    static void file(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (isPosix(file.toAbsolutePath().getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } else {
                Files.createFile(file);
            }
            return;
        }
        tighten(file);
    }

    /**
     * Tightens the directory and every file and directory in it, however deep. A data directory that is a symlink
     * (to another disk, say) is followed: the directory it leads to is the one that keeps other users out. Links
     * inside it are not followed.
     */
    static void tightenTree(Path dir) throws IOException {
        if (!isPosix(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir.toRealPath())) {
            for (Path path : paths.toList()) {
                tighten(path);
            }
        }
    }

    /** Group and others' bits off, the owner's as they are; a warning when there were any. */
    static void tighten(Path path) throws IOException {
        if (!isPosix(path) || Files.isSymbolicLink(path)) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
        if (current.stream().noneMatch(OTHERS::contains)) {
            return;
        }
        Set<PosixFilePermission> owner = EnumSet.copyOf(current);
        owner.removeAll(OTHERS);
        Files.setPosixFilePermissions(path, owner);
        LOG.warn("{} was {}, open to other users; now {}", path, PosixFilePermissions.toString(current),
                PosixFilePermissions.toString(owner));
    }

    /** Whether the file (or, while it does not exist yet, its file system) has POSIX permissions. */
    static boolean isPosix(Path path) {
        try {
            Path existing = path.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing != null && Files.getFileStore(existing).supportsFileAttributeView(PosixFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the file's mode lets group or others do anything with it; false off POSIX. */
    static boolean isOpenToOthers(Path file) throws IOException {
        return isPosix(file) && Files.getPosixFilePermissions(file).stream().anyMatch(OTHERS::contains);
    }

    static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
