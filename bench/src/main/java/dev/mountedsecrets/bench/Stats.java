package dev.mountedsecrets.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and worst of a series.
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

}
