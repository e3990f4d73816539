package com.anycontact.innolicense.cli;

import picocli.CommandLine.Command;

/** {@code innolicense license}: tools for license keys. */
@Command(
        name = "license",
        mixinStandardHelpOptions = true,
        description = "Look into license keys: decode one without checking it, or verify it and see its status.")
final class LicenseCommand {}
