/*
 * Extra ACPI devices for the test guest, loaded with -acpitable:
 * LNUXBEEF for the upstream Rust platform driver sample, LNUXD0D0 for our
 * two competing platform drivers (lifecycle_override_platform).
 */
DefinitionBlock ("", "SSDT", 2, "DRVLIF", "LIFECYCL", 0x00000001)
{
    Scope (\_SB)
    {
        Device (T432)
        {
            Name (_HID, "LNUXBEEF")
            Name (_UID, 1)
            Name (_STA, 0x0F)
        }

        Device (OVR0)
        {
            Name (_HID, "LNUXD0D0")
            Name (_UID, 1)
            Name (_STA, 0x0F)
        }
    }
}
