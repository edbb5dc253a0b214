package dev.cellar.globals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.globals.SqlScript.Kind;
import dev.cellar.globals.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void semicolonsInsideLiteralsIdentifiersDollarQuotesAndCommentsDoNotEndAStatement() {
        List<Statement> statements = SqlScript.statements("""
                COMMENT ON ROLE "a;b" IS 'one; two
                three';
                -- a comment; with a semicolon
                CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
                /* block; /* nested; */ still */ SELECT E'it\\'s; fine';
                """);

        assertThat(statements).extracting(s -> s.tokens().get(0).value()).containsExactly("COMMENT", "CREATE", "SELECT");
        assertThat(statements.get(0).tokens().get(3).identifier()).isEqualTo("a;b");
        assertThat(statements.get(0).tokens().get(5).value()).isEqualTo("one; two\nthree");
        assertThat(statements.get(0).text()).startsWith("COMMENT ON ROLE").endsWith("three';");
        assertThat(statements.get(1).tokens()).anySatisfy(t -> assertThat(t.value()).isEqualTo(" SELECT 1; "));
        assertThat(statements.get(2).tokens().get(1).kind()).isEqualTo(Kind.STRING);
        assertThat(statements.get(2).tokens().get(1).value()).isEqualTo("it's; fine");
    }

    @Test
    void psqlMetaCommandsAtStatementStartAreDropped() {
        List<Statement> statements = SqlScript.statements("\\restrict abc123\nSET x = 1;\n\\connect other\nCREATE ROLE r;\n\\unrestrict abc123\n");

        assertThat(statements).extracting(Statement::text).containsExactly("SET x = 1;", "CREATE ROLE r;");
    }

    @Test
    void bareWordsFoldToLowerCaseAndQuotedOnesKeepTheirCaseAndDoubledQuotes() {
        Statement statement = SqlScript.statements("GRANT \"Kitchen \"\"A\"\"\" TO Chef;").get(0);

        assertThat(statement.tokens().get(1).identifier()).isEqualTo("Kitchen \"A\"");
        assertThat(statement.tokens().get(3).identifier()).isEqualTo("chef");
        assertThat(statement.startsWith("grant")).isTrue();
    }

    @Test
    void textAfterTheLastSemicolonIsNotAStatement() {
        assertThat(SqlScript.statements("CREATE ROLE a; CREATE ROLE b")).hasSize(1);
    }
}
