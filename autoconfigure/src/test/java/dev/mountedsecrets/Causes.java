package dev.mountedsecrets;

/**
 * Finds an exception of a given type in a failure's chain of causes.
 */
final class Causes {

	private Causes() {
	}

	static <T extends Throwable> T find(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
	}

}
