#!/bin/sh
# Prepares what the container image is made of, for jib:buildTar (cli/pom.xml, profile "image"):
#
#   target/image/runtime/opt/java   a Java runtime made by jlink with just the modules Convoy uses
#   target/image/rootfs             the base: glibc, libgcc, libstdc++ and zlib, copied from the
#                                   installed Debian packages of the build machine, plus /etc/passwd
#                                   and /etc/group with the user nonroot (65532); no shell, no
#                                   package manager. Empty when the image is built FROM a standard
#                                   base that has them (gcr.io/distroless/cc-debian12:nonroot).
#   target/image/tools/usr/local/bin  tools the image ships beside Convoy (empty for now: the
#                                   kustomize binary goes here; see the README of the image).
#
# Same inputs, same bytes: jlink output is deterministic and Jib fixes every file's time and owner.
#   image-parts.sh <cli target dir> <base image>
set -eu
target=$1
base=$2
out="$target/image"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

# Modules: `jdeps --print-module-deps` over the runtime class path, plus what is loaded by name
# (EC and EdDSA keys for SSH and TLS, sun.misc.Unsafe, java.net.http for --pushgateway).
modules=java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.sql,jdk.crypto.ec,jdk.unsupported
stamp="$out/runtime.modules"
if [ ! -x "$out/runtime/opt/java/bin/java" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$java_home $modules" ]; then
  rm -rf "$out/runtime"
  mkdir -p "$out/runtime/opt"
  "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$out/runtime/opt/java"
  # The JDK's class-data archive is not reproducible on 17 (different bytes every dump): leave it out.
  rm -f "$out/runtime/opt/java/lib/server/classes.jsa" "$out/runtime/opt/java/lib/server/classes_nocoops.jsa"
  echo "$java_home $modules" > "$stamp"
fi

rm -rf "$out/rootfs" "$out/tools"
mkdir -p "$out/rootfs" "$out/tools/usr/local/bin"
if [ "$base" = scratch ]; then
  packages="libc6 libgcc-s1 libstdc++6 zlib1g"
  for pkg in $packages; do
    dpkg-query -L "$pkg" | while read -r f; do
      case "$f" in
        /usr/share/doc/*/copyright) ;;
        /usr/share/*|/etc/*|/sbin/*|/usr/sbin/*|/usr/bin/*|/usr/libexec/*|/var/*) continue ;;
      esac
      [ -f "$f" ] || continue
      # merged /usr: /lib is a link to /usr/lib on the build machine; the image has real folders.
      real=$(readlink -f "$f")
      case "$f" in /lib/*|/lib64/*) dest="/usr$f" ;; *) dest=$f ;; esac
      mkdir -p "$out/rootfs$(dirname "$dest")"
      cp "$real" "$out/rootfs$dest"
    done
  done
  # The ELF interpreter path every binary names.
  mkdir -p "$out/rootfs/lib64"
  cp "$(readlink -f /lib64/ld-linux-x86-64.so.2)" "$out/rootfs/lib64/ld-linux-x86-64.so.2"
  mkdir -p "$out/rootfs/etc" "$out/rootfs/tmp" "$out/rootfs/var/cache/convoy"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$out/rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/rootfs/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/rootfs/etc/nsswitch.conf"
  mkdir -p "$out/rootfs/home/nonroot"
  dpkg-query -W -f='${Package}=${Version}\n' $packages > "$out/rootfs/etc/convoy-base-packages"
fi
