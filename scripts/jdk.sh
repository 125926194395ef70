# Sourced by ./bert4j and ./run-tests: finds a JDK >= 25 without the user setting anything.
# Order: $JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm (or $BERT4J_JVM_DIRS).

bert4j_java_major() { # prints the feature version of the java binary $1, or nothing
  # The JDK's release file says it without starting a JVM (~0.1 s saved on every command).
  local release major
  release="$(dirname "$1")/../release"
  if [ -r "$release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$major" ]; then echo "$major"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

bert4j_find_jdk() {
  local min=25 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(bert4j_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for candidate in ${BERT4J_JVM_DIRS:-/usr/lib/jvm}/*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    [ -L "$candidate" ] && continue
    major=$(bert4j_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  {
    echo "bert4j: needs a JDK 25 or newer (the Vector API and java.lang.foreign); none found."
    echo "  JAVA_HOME=${JAVA_HOME:-<unset>}; searched ${BERT4J_JVM_DIRS:-/usr/lib/jvm}."
    echo "  Install one (e.g. Eclipse Temurin 25: https://adoptium.net, or 'apt install temurin-25-jdk')"
    echo "  and point JAVA_HOME at it."
  } >&2
  return 1
}

# Prints -XX:+UseTransparentHugePages when the kernel offers transparent huge pages (mode "always" or
# "madvise"): the Java heap then sits on 2 MB pages, and a forward pass, which streams every weight panel
# (MiniLM: 42 MB) through the cores, needs ~500x fewer TLB entries (1 x 16 tokens: ~8% faster here).
bert4j_page_flags() {
  local thp=/sys/kernel/mm/transparent_hugepage/enabled
  if [ -r "$thp" ] && ! grep -q '\[never\]' "$thp"; then echo "-XX:+UseTransparentHugePages"; fi
}
