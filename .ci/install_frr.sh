#!/bin/sh
# Install what tests/frrlab.py needs for the `frr` tests (real FRRouting routers over real SSH):
# the Debian packages frr and openssh-server, plus one-time system prep. Idempotent; run as root.
# The lab starts its own sshd and FRR instances; the system services are neither needed nor used.
set -eu

if [ "$(id -u)" -ne 0 ]; then
    echo "install_frr.sh: run as root" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need=""
for pkg in frr openssh-server iproute2 passwd util-linux; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need="$need $pkg"
done
if [ -n "$need" ]; then
    apt-get update
    apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold $need
fi

# sshd's privilege separation directory (normally made by systemd/the init script, absent in
# containers); tests/frrlab.py also creates it on start.
install -d -m 0755 /run/sshd

# groups the lab's logins join (the frr package creates them; be explicit for odd images)
getent group frr >/dev/null || groupadd --system frr
getent group frrvty >/dev/null || groupadd --system frrvty

# the per-instance dirs live under these
install -d -o frr -g frr -m 0750 /etc/frr
install -d -o frr -g frr -m 0755 /var/run/frr

# Sanity check: the binaries the lab uses.
for bin in /usr/lib/frr/frrinit.sh /usr/lib/frr/zebra /usr/lib/frr/bgpd /usr/lib/frr/ospfd \
           /usr/bin/vtysh /usr/sbin/sshd /usr/bin/ssh-keygen; do
    [ -x "$bin" ] || { echo "install_frr.sh: $bin missing" >&2; exit 1; }
done
echo "install_frr.sh: frr $(dpkg-query -W -f='${Version}' frr), $(/usr/sbin/sshd -V 2>&1 | head -1)"
