package dev.mountedsecrets.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Figure 1, start-up rows: an application whose only work is its environment (no
 * auto-configuration, no web server) started in a JVM of its own with 0, 1,000 and 10,000
 * secret files, each property read once, timed from outside (process start to exit), against
 * the same application given the folder through {@code spring.config.import=configtree:}. What
 * one more file costs at start-up, set beside what it costs in figure 1's loop.
 */
final class EnvironmentStartupHarness {

	static final String SIDE_ARGUMENT = "--environment-start";

	private static final String OURS = "ours";

	private static final String CONFIGTREE = "configtree";

	private EnvironmentStartupHarness() {
	}

	/**
	 * Time the starts.
	 * @param counts the folder sizes, the first one the baseline (0)
	 * @param rounds how many alternating rounds after one warm-up start of each
	 * @param loadMicrosPerFile ours per file in figure 1's loop (N=1000), to compare with
	 * @return the lines
	 */
	static List<String> run(List<Integer> counts, int rounds, double loadMicrosPerFile) throws Exception {
		Map<String, Path> folders = new LinkedHashMap<>();
		for (int count : counts) {
			folders.put(String.valueOf(count), (count > 0) ? SecretFolders.create(count)
					: Files.createTempDirectory("bench-secrets-0-"));
		}
		Map<String, List<Double>> times = new LinkedHashMap<>();
		for (String side : List.of(OURS, CONFIGTREE)) {
			for (String count : folders.keySet()) {
				time(side, folders.get(count));
				times.put(side + ":" + count, new ArrayList<>());
			}
		}
		for (int round = 0; round < rounds; round++) {
			for (String side : List.of(OURS, CONFIGTREE)) {
				for (String count : folders.keySet()) {
					times.get(side + ":" + count).add(time(side, folders.get(count)));
				}
			}
		}
		for (Path folder : folders.values()) {
			SecretFolders.delete(folder);
		}
		List<String> lines = new ArrayList<>();
		String empty = String.valueOf(counts.get(0));
		for (String count : folders.keySet()) {
			double ours = Stats.median(times.get(OURS + ":" + count));
			double tree = Stats.median(times.get(CONFIGTREE + ":" + count));
			String line = String.format("1. start-up of an environment-only application, N=%s files, median of %d"
					+ " (process start to exit): mounted-secrets %.0f ms (runs %.0f-%.0f), configtree %.0f ms (runs"
					+ " %.0f-%.0f) -> ours/configtree %.2f", count, rounds, ours,
					Stats.best(times.get(OURS + ":" + count)), Stats.worst(times.get(OURS + ":" + count)), tree,
					Stats.best(times.get(CONFIGTREE + ":" + count)), Stats.worst(times.get(CONFIGTREE + ":" + count)),
					ours / tree);
			int files = Integer.parseInt(count);
			if (files > 0) {
				double oursPerFile = (ours - Stats.median(times.get(OURS + ":" + empty))) * 1000 / files;
				double treePerFile = (tree - Stats.median(times.get(CONFIGTREE + ":" + empty))) * 1000 / files;
				line += String.format("; per file beyond N=%s: ours %.1f us, configtree %.1f us; ours in figure 1's"
						+ " loop (N=1000) %.1f us -> start-up/loop %.2f", empty, oursPerFile, treePerFile,
						loadMicrosPerFile, oursPerFile / loadMicrosPerFile);
			}
			lines.add(line);
		}
		return lines;
	}

	private static double time(String side, Path folder) throws Exception {
		String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		long started = System.nanoTime();
		Process process = new ProcessBuilder(javaCommand, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
				Benchmarks.class.getName(), SIDE_ARGUMENT, side, folder.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("The " + side + " start with " + folder + " failed (exit "
					+ process.exitValue() + ")");
		}
		return (System.nanoTime() - started) / 1e6;
	}

	/**
	 * One start, in the child JVM: the environment is built, every secret read once as a
	 * property, the context closed.
	 * @param side {@code ours} or {@code configtree}
	 * @param folder the secrets folder
	 */
	static void startOnce(String side, Path folder) throws IOException {
		SpringApplication application = new SpringApplication(EnvironmentOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>(List.of("--spring.config.name=bench-environment-start"));
		if (side.equals(OURS)) {
			args.add("--secrets.dir=" + folder);
		}
		else {
			args.add("--secrets.enabled=false");
			args.add("--spring.config.import=optional:configtree:" + folder + "/");
		}
		List<String> names;
		try (Stream<Path> files = Files.list(folder)) {
			names = files.map((file) -> file.getFileName().toString()).toList();
		}
		try (ConfigurableApplicationContext context = application.run(args.toArray(String[]::new))) {
			Environment environment = context.getEnvironment();
			for (String name : names) {
				String property = side.equals(OURS) ? "secrets.file." + name : name;
				if (environment.getProperty(property) == null) {
					throw new IllegalStateException("Not loaded: " + property);
				}
			}
		}
	}

	/**
	 * No auto-configuration, no components: the start is the environment.
	 */
	@Configuration(proxyBeanMethods = false)
	static class EnvironmentOnly {

	}

}
