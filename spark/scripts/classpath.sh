# Sourced by spark/examples/run and spark/bench/run: a JDK >= 25, the module built with its test classes (Spark
# included: it is 'provided' for users), and the JVM flags Spark and bert4j need.
. "$root/scripts/jdk.sh"
JAVA_HOME=$(bert4j_find_jdk) || exit 1
# Spark binds to loopback only (it would pick the first non-loopback interface for its driver).
export JAVA_HOME OPT_OUT_TRACKING=true SPARK_LOCAL_IP=127.0.0.1
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
if [ -z "${BERT4J_SPARK_NO_BUILD:-}" ]; then
  echo "bert4j-spark: building..." >&2
  (cd "$root" && mvn -B -q -ntp -DskipTests -pl spark -am test-compile >&2)
fi
bert4j_spark_cp="$root/spark/target/test-classes:$root/spark/target/classes:$(cat "$root/spark/target/classpath.txt")"
bert4j_spark_jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m -Xmx4g
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dlog4j2.configurationFile="$root/spark/src/test/resources/log4j2.properties"
  -Dspark.driver.bindAddress=127.0.0.1 -Dspark.driver.host=127.0.0.1 -Dspark.ui.enabled=false)
