package dev.mountedsecrets.logging;

import java.util.Arrays;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;

/**
 * Where an event was logged, as Logback would have found it, for an event this starter writes
 * in place of the one logged: the frames below the logging machinery (this starter's
 * filter, Logback, SLF4J, the bridges of Commons Logging, Log4j's API and
 * {@code java.util.logging}, and the packages the context declares as framework packages).
 */
final class CallerFrames {

	private static final List<String> MACHINERY = List.of(LogbackMasking.class.getName(), "ch.qos.logback.",
			"org.slf4j.", "org.apache.commons.logging.", "org.apache.logging.log4j.", "org.apache.logging.slf4j.",
			"java.util.logging.", "sun.util.logging.", "org.jboss.logging.");

	private CallerFrames() {
	}

	/**
	 * The caller's frames, from a throwable made where the event is written.
	 * @param here the throwable
	 * @param context the context (its framework packages and caller data depth)
	 * @return the frames, empty if every frame is logging machinery
	 */
	static StackTraceElement[] of(Throwable here, LoggerContext context) {
		StackTraceElement[] frames = here.getStackTrace();
		List<String> frameworkPackages = context.getFrameworkPackages();
		for (int i = 0; i < frames.length; i++) {
			if (!isMachinery(frames[i].getClassName(), frameworkPackages)) {
				int depth = Math.max(1, context.getMaxCallerDataDepth());
				return Arrays.copyOfRange(frames, i, Math.min(frames.length, i + depth));
			}
		}
		return new StackTraceElement[0];
	}

	private static boolean isMachinery(String className, List<String> frameworkPackages) {
		for (String prefix : MACHINERY) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		for (String frameworkPackage : frameworkPackages) {
			if (className.startsWith(frameworkPackage)) {
				return true;
			}
		}
		return false;
	}

}
