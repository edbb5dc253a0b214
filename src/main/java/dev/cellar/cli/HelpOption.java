package dev.cellar.cli;

import picocli.CommandLine.Option;

/**
 * {@code --help} and {@code -?}, as PostgreSQL's own tools spell it: {@code -h} stays free for
 * the database host, which is what a DBA's fingers type.
 */
final class HelpOption {
    @Option(names = {"-?", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
