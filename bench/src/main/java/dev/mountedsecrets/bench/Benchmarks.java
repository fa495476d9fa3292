package dev.mountedsecrets.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every figure in one process and prints one line per figure with its ratio against the
 * reference measured in the same run. {@code --quick} is a smoke run (CI): tiny iterations,
 * numbers not meaningful. {@code --skip-startup} leaves out the start-up figure; {@code --load}, {@code --swap},
 * {@code --memory}, {@code --polling} and {@code --logs} run figure 1, the atomic-swap row of
 * figure 3, figure 5, figure 7 and figure 8 alone.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = Arrays.asList(args).contains("--quick");
		if (Arrays.asList(args).contains("--rotation")) {
			rotationOnly();
			return;
		}
		if (Arrays.asList(args).contains("--swap")) {
			swapOnly();
			return;
		}
		if (Arrays.asList(args).contains("--memory")) {
			// figure 5 alone: -Dbench.args=--memory
			System.out.println();
			System.out.println("=== mounted-secrets retained heap ===");
			System.out.println(MemoryHarness.run(1000));
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--polling")) {
			// figure 7 alone: -Dbench.args=--polling
			String before = Stats.loadAverage();
			List<String> polling = Stats.withLoad(before, PollingHarness.run(List.of(10, 1000), 5, Duration.ofMillis(1000)));
			System.out.println();
			System.out.println("=== mounted-secrets polling ===");
			polling.forEach(System.out::println);
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--logs")) {
			// figure 8 alone: -Dbench.args=--logs (with --quick: its smoke run alone)
			String before = Stats.loadAverage();
			List<String> logs = Stats.withLoad(before, LogThroughput.run(quick));
			System.out.println();
			System.out.println("=== mounted-secrets log throughput ===");
			logs.forEach(System.out::println);
			System.exit(0);
		}
		if (args.length == 3 && args[0].equals(EnvironmentStartupHarness.SIDE_ARGUMENT)) {
			// one start of figure 1's start-up rows, in a JVM of its own
			EnvironmentStartupHarness.startOnce(args[1], java.nio.file.Path.of(args[2]));
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--load")) {
			// figure 1 alone: -Dbench.args=--load
			List<String> lines = folderLoad(quick);
			System.out.println();
			System.out.println("=== mounted-secrets folder load ===");
			lines.forEach(System.out::println);
			System.exit(0);
		}
		if (args.length == 5 && args[0].equals(EnvEndpointHarness.SIDE_ARGUMENT)) {
			// one side of figure 6, in a JVM of its own (started by EnvEndpointHarness.run)
			EnvEndpointHarness.measureSide(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
					Integer.parseInt(args[4]));
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--env")) {
			// figure 6 alone: -Dbench.args=--env
			System.out.println();
			System.out.println("=== mounted-secrets /actuator/env ===");
			String before = Stats.loadAverage();
			Stats.withLoad(before, EnvEndpointHarness.run(1000, 10, 1000, 4)).forEach(System.out::println);
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--lookup")) {
			// figure 4 alone: -Dbench.args=--lookup
			String before = Stats.loadAverage();
			Map<String, double[]> scores = microbenchmarks(false, LookupBenchmark.class.getSimpleName());
			System.out.println();
			System.out.println("=== mounted-secrets lookup ===");
			Stats.withLoad(before, List.of(lookupLine(scores))).forEach(System.out::println);
			System.exit(0);
		}
		List<String> lines = new ArrayList<>();
		lines.add(String.format("machine: %d cores, %d MiB max heap, Java %s, %s %s%s",
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
				System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
				quick ? " (smoke run: --quick, figures not meaningful)" : ""));
		String before = Stats.loadAverage();
		List<String> memory = Stats.withLoad(before, List.of(MemoryHarness.run(1000)));
		before = Stats.loadAverage();
		List<String> env = Stats.withLoad(before,
				EnvEndpointHarness.run(quick ? 100 : 1000, quick ? 2 : 10, quick ? 20 : 1000, quick ? 1 : 4));
		before = Stats.loadAverage();
		List<String> polling = Stats.withLoad(before, PollingHarness.run(quick ? List.of(10) : List.of(10, 1000),
				quick ? 1 : 5, Duration.ofMillis(quick ? 200 : 1000)));
		lines.addAll(folderLoad(quick));
		before = Stats.loadAverage();
		Map<String, double[]> scores = microbenchmarks(quick, LookupBenchmark.class.getSimpleName());
		lines.addAll(Stats.withLoad(before, List.of(lookupLine(scores))));
		before = Stats.loadAverage();
		List<String> logs = Stats.withLoad(before, LogThroughput.run(quick));
		try (LocalSample sample = LocalSample.start()) {
			if (Arrays.asList(args).contains("--skip-startup")) {
				lines.add("2. start-up: not measured in this run (--skip-startup)");
			}
			else {
				before = Stats.loadAverage();
				lines.addAll(Stats.withLoad(before, StartupHarness.run(sample, quick ? 1 : 7)));
			}
			before = Stats.loadAverage();
			List<String> rotation = new ArrayList<>();
			if (!quick) {
				rotation.addAll(RotationHarness.run(sample, Duration.ofSeconds(2), 5));
			}
			rotation.addAll(RotationHarness.run(sample, Duration.ofMillis(100), quick ? 1 : 10));
			SwappedVolume volume = SwappedVolume.convert(sample.secrets);
			rotation.addAll(RotationHarness.run(sample, Duration.ofSeconds(2), quick ? 1 : 15,
					"Kubernetes-style atomic ..data swap", volume::swap));
			lines.addAll(Stats.withLoad(before, rotation));
		}
		lines.addAll(polling);
		lines.addAll(memory);
		lines.addAll(env);
		lines.addAll(logs);
		System.out.println();
		System.out.println("=== mounted-secrets benchmarks ===");
		lines.forEach(System.out::println);
		System.exit(0);
	}

	/** Figure 3 alone ({@code -Dbench.args=--rotation}): rotation latency on the real servers. */
	private static void rotationOnly() throws Exception {
		List<String> lines = new ArrayList<>();
		try (LocalSample sample = LocalSample.start()) {
			lines.addAll(RotationHarness.run(sample, Duration.ofSeconds(2), 5));
			lines.addAll(RotationHarness.run(sample, Duration.ofMillis(100), 10));
		}
		System.out.println();
		System.out.println("=== mounted-secrets rotation latency ===");
		lines.forEach(System.out::println);
		System.exit(0);
	}

	/**
	 * Figure 1: the folder load microbenchmark for every N, then the environment-only starts,
	 * each line with the load average while it was measured.
	 */
	private static List<String> folderLoad(boolean quick) throws Exception {
		String before = Stats.loadAverage();
		Map<String, double[]> scores = microbenchmarks(quick, FolderLoadBenchmark.class.getSimpleName());
		List<String> lines = new ArrayList<>();
		for (String n : quick ? List.of("10") : List.of("10", "100", "1000", "10000")) {
			lines.add(loadLine(scores, n));
		}
		lines = new ArrayList<>(Stats.withLoad(before, lines));
		if (!quick) {
			String startBefore = Stats.loadAverage();
			double perFile = scores.get("FolderLoadBenchmark.mountedSecrets:1000")[0] / 1000;
			lines.addAll(Stats.withLoad(startBefore, EnvironmentStartupHarness.run(List.of(0, 1000, 10000), 7, perFile)));
		}
		return lines;
	}

	private static String loadLine(Map<String, double[]> scores, String n) {
		double[] ours = scores.get("FolderLoadBenchmark.mountedSecrets:" + n);
		double[] tree = scores.get("FolderLoadBenchmark.configTree:" + n);
		double[] floor = scores.get("FolderLoadBenchmark.filesReadStringFloor:" + n);
		double[] calls = scores.get("FolderLoadBenchmark.checkedReadSystemCalls:" + n);
		return String.format("1. load and read N=%s files: mounted-secrets %.1f ± %.1f us (runs %.1f-%.1f),"
				+ " configtree %.1f ± %.1f us (runs %.1f-%.1f), Files.readString floor %.1f ± %.1f us (runs %.1f-%.1f)"
				+ " -> ours/configtree %.2f (goal: <= 1.00) %s, ours/floor %.2f (goal: <= 1.30) %s;"
				+ " the system calls of a checked read alone, on one thread (list; lstat, open, stat, read, close"
				+ " per file) %.1f ± %.1f us = %.2f x floor, ours/those %.2f (goal: <= 1.15) %s", n, ours[0],
				ours[1], ours[2], ours[3], tree[0], tree[1], tree[2], tree[3], floor[0], floor[1], floor[2], floor[3],
				ours[0] / tree[0], (ours[0] <= tree[0]) ? "MET" : "MISSED", ours[0] / floor[0],
				(ours[0] <= 1.3 * floor[0]) ? "MET" : "MISSED", calls[0], calls[1], calls[0] / floor[0],
				ours[0] / calls[0], (ours[0] <= 1.15 * calls[0]) ? "MET" : "MISSED");
	}

	/** The atomic-swap row of figure 3 alone ({@code -Dbench.args=--swap}). */
	private static void swapOnly() throws Exception {
		List<String> lines = new ArrayList<>();
		try (LocalSample sample = LocalSample.start()) {
			SwappedVolume volume = SwappedVolume.convert(sample.secrets);
			lines.addAll(RotationHarness.run(sample, Duration.ofSeconds(2), 15, "Kubernetes-style atomic ..data swap",
					volume::swap));
		}
		System.out.println();
		System.out.println("=== mounted-secrets rotation latency, atomic swap ===");
		lines.forEach(System.out::println);
		System.exit(0);
	}

	private static String lookupLine(Map<String, double[]> scores) {
		double[] secret = scores.get("LookupBenchmark.secretProperty:");
		double[] mutable = scores.get("LookupBenchmark.secretPropertyMutableSource:");
		double[] ordinary = scores.get("LookupBenchmark.ordinaryProperty:");
		return String.format("4. Environment.getProperty: secret %.1f ± %.1f ns, ordinary property %.1f ± %.1f ns"
				+ " -> secret/ordinary %.2f; secret from a source Boot sees as mutable %.1f ± %.1f ns", secret[0],
				secret[1], ordinary[0], ordinary[1], secret[0] / ordinary[0], mutable[0], mutable[1]);
	}

	private static Map<String, double[]> microbenchmarks(boolean quick, String... benchmarks) throws Exception {
		ChainedOptionsBuilder options = new OptionsBuilder().shouldDoGC(true);
		for (String benchmark : (benchmarks.length > 0) ? benchmarks
				: new String[] { FolderLoadBenchmark.class.getSimpleName(), LookupBenchmark.class.getSimpleName() }) {
			options.include(benchmark);
		}
		if (quick) {
			options.param("files", "10")
				.forks(0)
				.warmupIterations(0)
				.measurementIterations(1)
				.measurementTime(TimeValue.milliseconds(200));
		}
		else {
			// Figure 1's reads run on reader threads: 5 warm-up seconds, not 2, before its loop
			// reaches the steady state (measured: about 150 µs per N=10 load after 5 s, 250 to 600
			// µs before, while the JIT compiles the reader's code).
			boolean load = Arrays.asList(benchmarks).contains(FolderLoadBenchmark.class.getSimpleName());
			options.forks(3).warmupIterations(load ? 8 : 2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
				.measurementTime(TimeValue.seconds(1));
		}
		Collection<RunResult> results = new Runner(options.build()).run();
		Map<String, double[]> scores = new HashMap<>();
		for (RunResult result : results) {
			String benchmark = result.getParams().getBenchmark();
			String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
			String files = result.getParams().getParam("files");
			double error = result.getPrimaryResult().getScoreError();
			double[] runs = result.getBenchmarkResults()
				.stream()
				.mapToDouble((run) -> run.getPrimaryResult().getScore())
				.toArray();
			scores.put(shortName + ":" + ((files != null) ? files : ""),
					new double[] { result.getPrimaryResult().getScore(), Double.isNaN(error) ? 0 : error,
							Arrays.stream(runs).min().orElse(0), Arrays.stream(runs).max().orElse(0) });
		}
		return scores;
	}

}
