#!/bin/sh
# Control for genpd/provider_leak.sh: the same test with the test-only
# controller's case 4, whose power operations read the binding's Devres
# resource through a raw pointer kept from probe (unsafe code; safe code
# can no longer borrow the binding in operations). genpd calls them after
# the controller's unbind for the domain it cannot remove: KASAN must
# report the read of freed memory, and the test's last check fails.
cd ../genpd || exit 1
LEAK_CASE=4 exec ./provider_leak.sh
