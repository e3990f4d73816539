package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The customer's {@code innolicense} has no vendor tool, and says where it is instead of a bare "unknown". */
class CustomerDistributionTest {

    private final CliRunner cli = new CliRunner();

    @Test
    void vendorCommands_areUnknown_withAPointerToTheVendorDistribution() {
        for (String command : new String[] {"init", "issue", "list", "renew"}) {
            CliRunner.Result result = cli.run("vendor", command, "--dir", "vendor");

            assertThat(result.exitCode()).as(command).isEqualTo(ExitCode.USAGE);
            assertThat(result.err())
                    .as(command)
                    .contains("error: the vendor tool is not part of the innolicense customer distribution")
                    .contains("innolicense-vendor")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void theHelp_listsNoVendorCommand() {
        CliRunner.Result result = cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("server", "license", "admin").doesNotContain("vendor ");
    }
}
