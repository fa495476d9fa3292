package dev.mountedsecrets.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and worst of a series, and the machine's load while it was measured.
 */
final class Stats {

	private Stats() {
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	static double best(List<Double> values) {
		return Collections.min(values);
	}

	static double worst(List<Double> values) {
		return Collections.max(values);
	}

	/**
	 * The machine's load average now, over 1, 5 and 15 minutes.
	 * @return the three figures, as {@code /proc/loadavg} gives them, or the 1 minute one
	 */
	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return fields[0] + "/" + fields[1] + "/" + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	/**
	 * Lines of one figure with the load average before and after they were measured.
	 * @param before the load average when the figure started
	 * @param lines the figure's lines
	 * @return the lines, each ending in the load averages
	 */
	static List<String> withLoad(String before, List<String> lines) {
		String after = loadAverage();
		return lines.stream().map((line) -> line + " [load average " + before + " -> " + after + "]").toList();
	}

}
