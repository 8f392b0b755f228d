# shellcheck shell=bash
# Helpers shared by the bench scripts; sourced after scripts/api.sh (call, wait_dag). Timing, medians, the bench
# tenant's SQL and its data, a local s3proxy.

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }        # START END
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }  # A B -> A/B
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / s / 1e6; else print "-" }'; } # BYTES SECONDS

# sql STATEMENTS: as root on the bench tenant (needs SOCK and ROOT_PW); tab-separated rows, no header
sql() { MYSQL_PWD=$ROOT_PW mariadb --no-defaults -S "$SOCK" -uroot -N -e "$1"; }

# load_bench_table BYTES: bench.t with about BYTES of InnoDB data in rows of ~280 B that compress like text (about
# 9:1 with zstd -1), written without binlog; a table already that large is reused, a smaller one topped up
load_bench_table() {
  local have rows first
  have=$(stat -c %s "$(sql 'SELECT @@datadir')bench/t.ibd" 2>/dev/null || echo 0)
  if [ "$have" -ge "$1" ]; then echo "bench.t holds $((have / 1000000)) MB: reused" >&2; return 0; fi
  sql "CREATE DATABASE IF NOT EXISTS bench;
       CREATE TABLE IF NOT EXISTS bench.t (id INT PRIMARY KEY, a BIGINT, pad VARCHAR(255)) ENGINE=InnoDB"
  first=$(($(sql 'SELECT COALESCE(MAX(id), 0) FROM bench.t') + 1))
  rows=$((($1 - have) / 270 + 1))
  echo "Loading $rows rows (~$((($1 - have) / 1000000)) MB) into bench.t" >&2
  sql "SET sql_log_bin = 0, unique_checks = 0, foreign_key_checks = 0; USE bench;
       INSERT INTO t SELECT seq, seq * 7919, REPEAT(MD5(seq), 7) FROM seq_${first}_to_$((first + rows - 1))"
}

# cpu_ticks PID: user + system clock ticks of PID and its waited-for children (mariabackup, zstd, ...); 0 if unknown
cpu_ticks() {
  if [ -z "${1:-}" ] || [ ! -r "/proc/$1/stat" ]; then echo 0; return; fi
  sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 + $14 + $15 }'
}
cpu_seconds() { awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }'; }

# reset_peak_rss PID, then peak_rss_mb PID: the highest resident set of PID since the reset (VmHWM), in MB
reset_peak_rss() { echo 5 > "/proc/$1/clear_refs" 2>/dev/null || true; }
peak_rss_mb() { awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo -; }

# shellcheck disable=SC2034 # S3PROXY_PID and S3_QUERY are for the caller
# s3proxy_start DIR: a local s3proxy (filesystem backend below DIR, bucket "bench"); sets S3PROXY_PID and S3_QUERY,
# the query of an s3:// URI for it. The jar: target/s3proxy (mvnw process-test-resources) or the Maven repository.
s3proxy_start() {
  local version jar port
  version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml)
  jar=target/s3proxy/s3proxy.jar
  [ -f "$jar" ] || jar=~/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar
  [ -f "$jar" ] || { ./mvnw -B -q process-test-resources >&2; jar=target/s3proxy/s3proxy.jar; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$1/store/bench"
  cat > "$1/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-id
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$1/store
CONF
  java -Xmx256m -jar "$jar" --properties "$1/s3proxy.conf" > "$1/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  # a directory of the base dir is a bucket; localhost as Host (path-style)
  S3_QUERY="host=http://localhost:$port&access_id=bench-id&access_key=bench-secret&force_path_style=true"
}
