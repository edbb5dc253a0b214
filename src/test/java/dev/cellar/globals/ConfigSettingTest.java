package dev.cellar.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigSettingTest {

    @Test
    void listSettingsBecomeOneLiteralPerElement() {
        assertThat(ConfigSetting.parse("search_path=\"$user\", \"My Schema\", public").setClause())
                .isEqualTo("\"search_path\" TO '$user', 'My Schema', 'public'");
    }

    @Test
    void quotedListElementsKeepCommasAndDoubledQuotes() {
        assertThat(ConfigSetting.listElements("\"a,b\", \"say \"\"hi\"\"\" ,  plain")).containsExactly("a,b", "say \"hi\"", "plain");
    }

    @Test
    void anEmptyListStaysEmpty() {
        assertThat(ConfigSetting.parse("search_path=\"\"").setClause()).isEqualTo("\"search_path\" TO ''");
    }

    @Test
    void otherSettingsAreOneLiteralEvenWithCommasAndQuotes() {
        assertThat(ConfigSetting.parse("application_name=it's, mine").setClause()).isEqualTo("\"application_name\" TO 'it''s, mine'");
        assertThat(ConfigSetting.parse("statement_timeout=45s").setClause()).isEqualTo("\"statement_timeout\" TO '45s'");
    }
}
