echo cockpit-probe 1;
f=/etc/os-release; [ -r "$f" ] || f=/usr/lib/os-release;
if [ -r "$f" ]; then while IFS= read -r l; do case "$l" in PRETTY_NAME=*) v=${l#PRETTY_NAME=}; v=${v#\"}; v=${v%\"}; v=${v#\'}; v=${v%\'}; echo "os $v"; break;; esac; done < "$f"; fi;
read -r k < /proc/sys/kernel/osrelease && echo "kernel $k";
read -r u _ < /proc/uptime && echo "uptime $u";
read -r a b c _ < /proc/loadavg && echo "load $a $b $c";
t=; m=; while read -r n v _; do case "$n" in MemTotal:) t=$v;; MemAvailable:) m=$v;; esac; done < /proc/meminfo;
[ -n "$t" ] && [ -n "$m" ] && echo "memory $t $m";
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && o=$(LC_ALL=C systemctl list-units --state=failed --no-legend --plain --no-pager --full 2>/dev/null); then echo systemd yes; printf '%s\n' "$o" | while read -r n _; do [ -n "$n" ] && echo "failed $n"; done; fi;
echo end
