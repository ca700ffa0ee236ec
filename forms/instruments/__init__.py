"""Clinical instruments, one module each, each citing its source."""
