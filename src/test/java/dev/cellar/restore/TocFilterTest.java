package dev.cellar.restore;

import dev.cellar.repo.BackupManifest.TableEntry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TocFilterTest {
    /** Excerpt of {@code pg_restore --list} of a PostgreSQL 15 custom-format dump of a small cafe database. */
    private static final List<String> TOC = List.of(
            ";",
            "; Archive created at 2024-03-01 02:00:05 UTC",
            ";     dbname: cafe",
            ";     TOC Entries: 40",
            ";     Compression: -1",
            ";     Dump Version: 1.14-0",
            ";     Format: CUSTOM",
            ";     Dumped from database version: 15.6 (Debian 15.6-1.pgdg120+2)",
            ";     Dumped by pg_dump version: 15.6 (Debian 15.6-1.pgdg120+2)",
            ";",
            ";",
            "; Selected TOC Entries:",
            ";",
            "4; 2615 2200 SCHEMA - public pg_database_owner",
            "3365; 0 0 COMMENT - SCHEMA public pg_database_owner",
            "214; 1259 16384 TABLE public cafes postgres",
            "213; 1259 16383 SEQUENCE public cafes_id_seq postgres",
            "3361; 0 0 SEQUENCE OWNED BY public cafes_id_seq postgres",
            "215; 1259 16386 TABLE public menu_items postgres",
            "3366; 0 0 COMMENT public TABLE menu_items postgres",
            "3367; 0 0 COMMENT public COLUMN menu_items.price postgres",
            "216; 1259 16385 SEQUENCE public menu_items_id_seq postgres",
            "3362; 0 0 SEQUENCE OWNED BY public menu_items_id_seq postgres",
            "217; 1259 16400 TABLE public menu_items_archive postgres",
            "218; 1259 16410 TABLE public order_items postgres",
            "219; 1259 16409 SEQUENCE public order_items_id_seq postgres",
            "3363; 0 0 SEQUENCE OWNED BY public order_items_id_seq postgres",
            "3180; 2604 16387 DEFAULT public menu_items id postgres",
            "3181; 2604 16411 DEFAULT public order_items id postgres",
            "3349; 0 16384 TABLE DATA public cafes postgres",
            "3350; 0 16386 TABLE DATA public menu_items postgres",
            "3351; 0 16400 TABLE DATA public menu_items_archive postgres",
            "3352; 0 16410 TABLE DATA public order_items postgres",
            "3359; 0 0 SEQUENCE SET public cafes_id_seq postgres",
            "3360; 0 0 SEQUENCE SET public menu_items_id_seq postgres",
            "3364; 0 0 SEQUENCE SET public order_items_id_seq postgres",
            "3188; 2606 16390 CONSTRAINT public cafes cafes_pkey postgres",
            "3190; 2606 16395 CONSTRAINT public menu_items menu_items_pkey postgres",
            "3191; 2606 16397 CONSTRAINT public menu_items menu_items_price_check postgres",
            "3192; 2606 16405 CONSTRAINT public menu_items_archive menu_items_archive_pkey postgres",
            "3194; 2606 16415 CONSTRAINT public order_items order_items_pkey postgres",
            "3200; 1259 16420 INDEX public idx_menu_items_cafe postgres",
            "3201; 1259 16421 INDEX public idx_menu_items_archive_cafe postgres",
            "3202; 1259 16422 INDEX public idx_order_items_menu_item postgres",
            "3205; 2620 16425 TRIGGER public menu_items menu_items_touch postgres",
            "3209; 2606 16428 FK CONSTRAINT public menu_items menu_items_cafe_id_fkey postgres",
            "3210; 2606 16430 FK CONSTRAINT public order_items order_items_menu_item_id_fkey postgres",
            "3211; 2606 16431 FK CONSTRAINT public menu_items_archive menu_items_archive_cafe_id_fkey postgres",
            "3370; 0 0 ACL public TABLE menu_items postgres",
            "3371; 0 0 ACL public SEQUENCE menu_items_id_seq postgres",
            "3372; 0 0 ACL public TABLE order_items postgres");

    private static final TableEntry MENU_ITEMS = new TableEntry("public", "menu_items", 42, false, null,
            List.of("idx_menu_items_cafe"),
            List.of("menu_items_pkey", "menu_items_price_check", "menu_items_cafe_id_fkey"),
            List.of("menu_items_touch"),
            List.of("menu_items_id_seq"),
            List.of("public.order_items order_items_menu_item_id_fkey"),
            List.of());

    private static final List<String> MENU_ITEMS_OWN_ENTRIES = List.of(
            "215; 1259 16386 TABLE public menu_items postgres",
            "3366; 0 0 COMMENT public TABLE menu_items postgres",
            "3367; 0 0 COMMENT public COLUMN menu_items.price postgres",
            "216; 1259 16385 SEQUENCE public menu_items_id_seq postgres",
            "3362; 0 0 SEQUENCE OWNED BY public menu_items_id_seq postgres",
            "3180; 2604 16387 DEFAULT public menu_items id postgres",
            "3350; 0 16386 TABLE DATA public menu_items postgres",
            "3360; 0 0 SEQUENCE SET public menu_items_id_seq postgres",
            "3190; 2606 16395 CONSTRAINT public menu_items menu_items_pkey postgres",
            "3191; 2606 16397 CONSTRAINT public menu_items menu_items_price_check postgres",
            "3200; 1259 16420 INDEX public idx_menu_items_cafe postgres",
            "3205; 2620 16425 TRIGGER public menu_items menu_items_touch postgres",
            "3209; 2606 16428 FK CONSTRAINT public menu_items menu_items_cafe_id_fkey postgres",
            "3370; 0 0 ACL public TABLE menu_items postgres",
            "3371; 0 0 ACL public SEQUENCE menu_items_id_seq postgres");

    private static final String INCOMING_FK = "3210; 2606 16430 FK CONSTRAINT public order_items order_items_menu_item_id_fkey postgres";

    @Test
    void ownForeignKeyToATableMissingFromTheTargetIsLeftOutAndReported() {
        java.util.Map<String, String> targets = java.util.Map.of("public.menu_items menu_items_cafe_id_fkey", "public.cafes");
        List<String> leftOut = new java.util.ArrayList<>();

        List<String> withoutCafes = TocFilter.select(TOC, List.of(MENU_ITEMS), Set.of(), targets, leftOut);
        List<String> withCafes = TocFilter.select(TOC, List.of(MENU_ITEMS), Set.of("public.cafes"), targets);

        assertThat(withoutCafes).noneMatch(line -> line.contains("menu_items_cafe_id_fkey"));
        assertThat(leftOut).containsExactly("public.menu_items menu_items_cafe_id_fkey");
        assertThat(withCafes).anyMatch(line -> line.contains("FK CONSTRAINT public menu_items menu_items_cafe_id_fkey"));
    }

    @Test
    void partitionsAreReattachedAndViewsDroppedWithTheTableComeBack() {
        List<String> toc = List.of(
                "220; 1259 16500 TABLE public orders postgres",
                "221; 1259 16510 TABLE public orders_2026_10 postgres",
                "3400; 0 0 TABLE ATTACH public orders_2026_10 postgres",
                "3401; 0 16510 TABLE DATA public orders_2026_10 postgres",
                "3402; 2606 16520 CONSTRAINT public orders orders_pkey postgres",
                "3403; 2606 16521 CONSTRAINT public orders_2026_10 orders_2026_10_pkey postgres",
                "3404; 0 0 INDEX ATTACH public orders_2026_10_pkey postgres",
                "230; 1259 16600 VIEW public daily_revenue postgres",
                "231; 1259 16601 MATERIALIZED VIEW public monthly_revenue postgres",
                "3405; 0 16601 MATERIALIZED VIEW DATA public monthly_revenue postgres",
                "232; 1259 16602 VIEW public unrelated_view postgres");
        TableEntry orders = new TableEntry("public", "orders", 10, true, null, List.of(), List.of("orders_pkey"), List.of(), List.of(),
                List.of(), List.of("public.daily_revenue", "public.monthly_revenue"));
        TableEntry partition = new TableEntry("public", "orders_2026_10", 10, false, "public.orders", List.of(),
                List.of("orders_2026_10_pkey"), List.of(), List.of(), List.of(), List.of());

        List<String> droppedViews = TocFilter.select(toc, List.of(orders, partition), Set.of());
        List<String> viewsStillThere = TocFilter.select(toc, List.of(orders, partition), Set.of("public.daily_revenue", "public.monthly_revenue"));

        assertThat(droppedViews).containsExactlyElementsOf(toc.subList(0, toc.size() - 1));
        assertThat(viewsStillThere).containsExactlyElementsOf(toc.subList(0, 7));
    }

    @Test
    void selectionOfATableHasItsOwnEntriesAndTheIncomingForeignKeyOfAnExistingTable() {
        List<String> chosen = TocFilter.select(TOC, List.of(MENU_ITEMS), Set.of("public.cafes", "public.order_items"));

        List<String> expected = TOC.stream().filter(l -> MENU_ITEMS_OWN_ENTRIES.contains(l) || l.equals(INCOMING_FK)).toList();
        assertThat(chosen).containsExactlyElementsOf(expected);
    }

    @Test
    void incomingForeignKeyIsLeftOutWhenItsTableIsNotInTheTarget() {
        List<String> chosen = TocFilter.select(TOC, List.of(MENU_ITEMS), Set.of("public.cafes"));

        assertThat(chosen).containsExactlyInAnyOrderElementsOf(MENU_ITEMS_OWN_ENTRIES);
    }

    @Test
    void incomingForeignKeyIsKeptWhenItsTableIsRestoredToo() {
        TableEntry orderItems = new TableEntry("public", "order_items", 7, false, null, List.of("idx_order_items_menu_item"),
                List.of("order_items_pkey", "order_items_menu_item_id_fkey"), List.of(), List.of("order_items_id_seq"), List.of(), List.of());

        List<String> chosen = TocFilter.select(TOC, List.of(MENU_ITEMS, orderItems), Set.of());

        assertThat(chosen).contains(INCOMING_FK,
                "218; 1259 16410 TABLE public order_items postgres",
                "3352; 0 16410 TABLE DATA public order_items postgres",
                "3372; 0 0 ACL public TABLE order_items postgres");
        assertThat(chosen).filteredOn(l -> l.equals(INCOMING_FK)).hasSize(1);
    }

    @Test
    void tableWithASimilarNameIsNotSelected() {
        List<String> chosen = TocFilter.select(TOC, List.of(MENU_ITEMS), Set.of("public.order_items"));

        assertThat(chosen).noneMatch(l -> l.contains("menu_items_archive"));
        assertThat(chosen).noneMatch(l -> l.contains(" cafes"));
        assertThat(chosen).noneMatch(l -> l.contains("SCHEMA"));
        assertThat(chosen).noneMatch(l -> l.contains("order_items_pkey") || l.contains("TABLE DATA public order_items"));
    }

    @Test
    void tableInAnotherSchemaWithTheSameNameIsNotSelected() {
        List<String> toc = List.of(
                "215; 1259 16386 TABLE public menu_items postgres",
                "315; 1259 17386 TABLE archive menu_items postgres",
                "3350; 0 16386 TABLE DATA public menu_items postgres",
                "3450; 0 17386 TABLE DATA archive menu_items postgres",
                "3390; 2606 17395 CONSTRAINT archive menu_items menu_items_pkey postgres",
                "3470; 0 0 ACL archive TABLE menu_items postgres");

        assertThat(TocFilter.select(toc, List.of(MENU_ITEMS), Set.of()))
                .containsExactly("215; 1259 16386 TABLE public menu_items postgres", "3350; 0 16386 TABLE DATA public menu_items postgres");
    }

    @Test
    void parsesTypeSchemaAndTagOfTocLines() {
        assertThat(TocFilter.parse("3350; 0 16386 TABLE DATA public menu_items postgres"))
                .isEqualTo(new TocFilter.Entry("3350; 0 16386 TABLE DATA public menu_items postgres", "TABLE DATA", "public", "menu_items"));
        assertThat(TocFilter.parse("3210; 2606 16430 FK CONSTRAINT public order_items order_items_menu_item_id_fkey postgres"))
                .extracting(TocFilter.Entry::type, TocFilter.Entry::schema, TocFilter.Entry::tag)
                .containsExactly("FK CONSTRAINT", "public", "order_items order_items_menu_item_id_fkey");
        assertThat(TocFilter.parse("3366; 0 0 COMMENT public TABLE menu_items postgres"))
                .extracting(TocFilter.Entry::type, TocFilter.Entry::tag)
                .containsExactly("COMMENT", "TABLE menu_items");
    }

    @Test
    void commentAndBlankLinesAreNotEntries() {
        assertThat(TocFilter.parse(";     dbname: cafe")).isNull();
        assertThat(TocFilter.parse("")).isNull();
        assertThat(TocFilter.parse("   ")).isNull();
    }
}
