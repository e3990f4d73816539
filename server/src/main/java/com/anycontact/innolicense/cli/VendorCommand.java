package com.anycontact.innolicense.cli;

import picocli.CommandLine.Command;

/** {@code innolicense vendor}: the order team's tool. */
@Command(
        name = "vendor",
        mixinStandardHelpOptions = true,
        description = {
            "The order team's tool: create the vendor signing key, verify orders and issue license keys,"
                    + " renew them, and list the registry of issued licenses.",
            "See docs/vendor-tool.md."
        })
final class VendorCommand {}
