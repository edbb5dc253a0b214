package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/web-security.md prints the role table exactly as {@link Role} holds it. */
class RoleTableInDocsTest {

    static String table() {
        StringBuilder table = new StringBuilder("| permission |");
        for (Role role : Role.values()) {
            table.append(' ').append(role.id()).append(" |");
        }
        table.append("\n| --- |").append(" :---: |".repeat(Role.values().length)).append('\n');
        for (Permission permission : Permission.values()) {
            table.append("| `").append(permission.name()).append("` |");
            for (Role role : Role.values()) {
                table.append(role.allows(permission) ? " yes |" : " - |");
            }
            table.append('\n');
        }
        return table.toString();
    }

    @Test
    void theDocsShowTheRoleTableOfTheCode() throws IOException {
        String docs = Files.readString(Path.of("docs", "web-security.md"));
        assertThat(docs).as("paste this table into docs/web-security.md:\n" + table()).contains(table());
        for (Role role : Role.values()) {
            assertThat(docs.toLowerCase(Locale.ROOT)).contains("`" + role.id() + "`");
        }
    }
}
