package dev.mountedsecrets.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs figure 8 ({@link LogThroughputBenchmark}) and prints one line per format and number of
 * served secrets: time per line and lines per second with the starter and without it, the
 * ratio, the same for the CPU time of the logging thread (the median of the forks), and the
 * load average before and after the run.
 */
final class LogThroughput {

	/** Time per line with the starter over time per line without it, at 100 secrets. */
	static final double GOAL = 1.15;

	private LogThroughput() {
	}

	/**
	 * @param quick a smoke run (CI): N=10 and the pattern only, no forks, 200 ms, figures not
	 * meaningful
	 * @return the lines of figure 8
	 */
	static List<String> run(boolean quick) throws Exception {
		String before = loadAverage();
		ChainedOptionsBuilder options = new OptionsBuilder().include(LogThroughputBenchmark.class.getSimpleName())
			.shouldDoGC(true);
		if (quick) {
			options.param("secrets", "10")
				.param("format", "pattern")
				.forks(0)
				.warmupIterations(0)
				.measurementIterations(1)
				.measurementTime(TimeValue.milliseconds(200));
		}
		else {
			options.forks(3)
				.warmupIterations(2)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(3)
				.measurementTime(TimeValue.seconds(1));
		}
		Collection<RunResult> results = new Runner(options.build()).run();
		String after = loadAverage();
		Map<String, double[]> scores = new HashMap<>();
		for (RunResult result : results) {
			double error = result.getPrimaryResult().getScoreError();
			double[] forks = result.getBenchmarkResults()
				.stream()
				.mapToDouble((run) -> run.getPrimaryResult().getScore())
				.toArray();
			double[] cpuForks = result.getBenchmarkResults().stream().mapToDouble(LogThroughput::cpuPerLine).toArray();
			scores.put(key(result.getParams().getParam("format"), result.getParams().getParam("secrets"),
					result.getParams().getParam("starter")),
					new double[] { result.getPrimaryResult().getScore(), Double.isNaN(error) ? 0 : error,
							Arrays.stream(forks).min().orElse(0), Arrays.stream(forks).max().orElse(0),
							Stats.median(Arrays.stream(cpuForks).boxed().toList()),
							Arrays.stream(cpuForks).min().orElse(0), Arrays.stream(cpuForks).max().orElse(0) });
		}
		List<String> lines = new ArrayList<>();
		for (String format : List.of("pattern", "ecs")) {
			for (String secrets : List.of("10", "100", "1000")) {
				double[] on = scores.get(key(format, secrets, "on"));
				double[] off = scores.get(key(format, secrets, "off"));
				if (on != null && off != null) {
					lines.add(line(format, secrets, on, off, before, after));
				}
			}
		}
		return lines;
	}

	private static String line(String format, String secrets, double[] on, double[] off, String before,
			String after) {
		double ratio = on[0] / off[0];
		double cpuRatio = on[4] / off[4];
		String goal = secrets.equals("100")
				? String.format(" (goal: < %.2f) %s", GOAL, (ratio < GOAL) ? "MET" : "MISSED") : "";
		String cpuGoal = secrets.equals("100")
				? String.format(" (goal: < %.2f) %s", GOAL, (cpuRatio < GOAL) ? "MET" : "MISSED") : "";
		return String.format("8. log throughput, file appender, %s, N=%s served secrets: starter %.0f ± %.0f ns/line"
				+ " (forks %.0f-%.0f) = %.0f lines/s, without %.0f ± %.0f ns/line (forks %.0f-%.0f) = %.0f lines/s"
				+ " -> ratio %.3f (forks' extremes %.3f-%.3f)%s; CPU time of the logging thread: starter %.0f ns/line"
				+ " (forks %.0f-%.0f), without %.0f ns/line (forks %.0f-%.0f) -> ratio %.3f%s;"
				+ " load average before %s, after %s",
				format.equals("ecs") ? "ECS structured" : "Boot's pattern", secrets, on[0], on[1], on[2], on[3],
				1e9 / on[0], off[0], off[1], off[2], off[3], 1e9 / off[0], ratio, on[2] / off[3], on[3] / off[2], goal,
				on[4], on[5], on[6], off[4], off[5], off[6], cpuRatio, cpuGoal, before, after);
	}

	/** CPU time per line of one fork: the CPU time sampled over the lines sampled. */
	private static double cpuPerLine(BenchmarkResult fork) {
		Result<?> nanos = fork.getSecondaryResults().get("cpuNanos");
		Result<?> lines = fork.getSecondaryResults().get("cpuLines");
		return (nanos != null && lines != null && lines.getScore() > 0) ? nanos.getScore() / lines.getScore() : 0;
	}

	private static String key(String format, String secrets, String starter) {
		return format + ":" + secrets + ":" + starter;
	}

	/** The 1, 5 and 15 minute load averages of the machine. */
	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + "/" + fields[1] + "/" + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

}
