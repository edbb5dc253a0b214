package dev.cellar.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;

/**
 * Who must own what a restore creates. PostgreSQL refuses to start on a data directory owned by
 * root, so when Cellar runs as root everything it creates goes to the owner of the folder the
 * data directory is created in; otherwise files belong to the caller already.
 */
final class RestoredOwner {
    private final UserPrincipal user;
    private final GroupPrincipal group;

    private RestoredOwner(UserPrincipal user, GroupPrincipal group) {
        this.user = user;
        this.group = group;
    }

    static RestoredOwner forDataDirectory(Path dataDir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return new RestoredOwner(null, null);
        }
        Path parent = dataDir.toAbsolutePath().getParent();
        PosixFileAttributes attributes = Files.readAttributes(parent, PosixFileAttributes.class);
        return new RestoredOwner(attributes.owner(), attributes.group());
    }

    /** Hands {@code path} (a link itself, not its target) to the owner, when one is needed. */
    void apply(Path path) throws IOException {
        if (user == null) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
    }
}
