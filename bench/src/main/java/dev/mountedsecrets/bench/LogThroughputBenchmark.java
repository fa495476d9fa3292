package dev.mountedsecrets.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.qos.logback.classic.LoggerContext;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Figure 8: log throughput. One line per operation through the file appender Spring Boot sets
 * up ({@code logging.file.name}), with Boot's default file pattern or its ECS structured format
 * ({@code logging.structured.format.file=ecs}), in an application started by
 * {@code SpringApplication}: with the starter, the masking is installed as in any application
 * (the starter's listeners, on the environment the starter's post-processor fills from a folder
 * of N secret files); without it, the same application, folder and values with
 * {@code secrets.enabled=false} (the values as default properties). Each side runs in a fork of
 * its own (JMH), so neither shares the other's compiled code. The lines show no secret, as
 * nearly every line of a real log: the cost measured is that of looking.
 * <p>
 * Before measuring, each side logs one line with a served value and reads the file back: with
 * the starter it must show the mask, without it the value; otherwise the set-up is not what
 * it claims and the benchmark fails. The file is emptied before each iteration (the appender
 * appends), so the disk is not filled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogThroughputBenchmark {

	@Param({ "10", "100", "1000" })
	public int secrets;

	@Param({ "pattern", "ecs" })
	public String format;

	@Param({ "on", "off" })
	public String starter;

	private Path dir;

	private Path logs;

	private Path file;

	private ConfigurableApplicationContext context;

	private Logger logger;

	@Setup
	public void start() throws IOException {
		this.dir = SecretFolders.create(this.secrets);
		this.logs = Files.createTempDirectory("bench-logs-");
		this.file = this.logs.resolve("app.log");
		List<String> args = new ArrayList<>(List.of("--spring.config.name=bench-logs", "--spring.main.banner-mode=off",
				"--logging.file.name=" + this.file, "--logging.logback.rollingpolicy.max-file-size=100GB",
				"--spring.application.name=orders", "--logging.level.dev.mountedsecrets=WARN"));
		if (this.format.equals("ecs")) {
			args.add("--logging.structured.format.file=ecs");
		}
		Map<String, Object> defaults = new HashMap<>();
		String served = null;
		for (String name : SecretFolders.names(this.dir)) {
			String value = Files.readString(this.dir.resolve(name)).strip();
			defaults.put("secrets.file." + name, value);
			served = (served == null) ? value : served;
		}
		boolean on = this.starter.equals("on");
		args.add(on ? "--secrets.dir=" + this.dir : "--secrets.enabled=false");
		SpringApplication application = new SpringApplication(LogApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setLogStartupInfo(false);
		if (!on) {
			application.setDefaultProperties(defaults);
		}
		this.context = application.run(args.toArray(String[]::new));
		// a file-only application: Boot's console appender would time the terminal instead
		((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
			.detachAppender("CONSOLE");
		this.logger = LoggerFactory.getLogger("com.example.orders.OrderService");
		check(served, on);
	}

	/** The set-up masks the log with the starter, and does not without it. */
	private void check(String served, boolean on) throws IOException {
		this.logger.info("check: {}", served);
		String written = Files.readString(this.file);
		boolean masked = written.contains("check: ******") && !written.contains(served);
		boolean clear = written.contains("check: " + served);
		if (on ? !masked : !clear) {
			throw new IllegalStateException("the log " + (on ? "is not masked" : "is masked") + " with the starter "
					+ this.starter + ": " + written);
		}
	}

	@Setup(Level.Iteration)
	public void emptyFile() throws IOException {
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.WRITE)) {
			channel.truncate(0);
		}
	}

	@TearDown
	public void stop() throws IOException {
		this.context.close();
		try (Stream<Path> files = Files.walk(this.logs)) {
			deleteAll(files);
		}
		try (Stream<Path> files = Files.walk(this.dir)) {
			deleteAll(files);
		}
	}

	private static void deleteAll(Stream<Path> files) throws IOException {
		for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
			Files.deleteIfExists(path);
		}
	}

	@Benchmark
	public void logLine(Cpu cpu) {
		long n = ++cpu.line;
		this.logger.info("order {} shipped to customer {} in {} ms", n, n % 9973, n % 251);
		if ((n & 1023) == 0) {
			cpu.sample();
		}
	}

	/**
	 * The CPU time of the thread that logs, read every 1024 lines (a read costs about a
	 * microsecond): unlike the time per line, it leaves out the time the thread waits for a
	 * processor, which other work on a shared machine takes.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class Cpu {

		private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

		/** CPU time of the lines sampled in this iteration. */
		public long cpuNanos;

		/** Lines sampled in this iteration. */
		public long cpuLines;

		long line;

		private long lastNanos;

		private long lastLine;

		@Setup(Level.Iteration)
		public void reset() {
			this.cpuNanos = 0;
			this.cpuLines = 0;
			this.lastNanos = THREADS.getCurrentThreadCpuTime();
			this.lastLine = this.line;
		}

		void sample() {
			long now = THREADS.getCurrentThreadCpuTime();
			this.cpuNanos += now - this.lastNanos;
			this.cpuLines += this.line - this.lastLine;
			this.lastNanos = now;
			this.lastLine = this.line;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LogApplication {

	}

}
