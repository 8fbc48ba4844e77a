"""Package data of peoscales.peo: the synthetic demo export."""
