package dev.mountedsecrets.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import dev.mountedsecrets.ServedSecrets;

/**
 * The registries the log is masked with, whatever the logging system: those of every
 * application in the process that is still alive.
 */
final class MaskingRegistries {

	/**
	 * The registries to mask with, each with what installed it (an application's environment,
	 * a Spring Cloud refresh's copy of it), all held weakly: a registry is used while one
	 * of them is open. One folder's registry is shared by every application that reads the
	 * folder, so closing one must not stop the masking for the others. Guarded by itself.
	 */
	private static final Map<ServedSecrets, Set<Object>> REGISTRIES = new WeakHashMap<>();

	private MaskingRegistries() {
	}

	static void add(ServedSecrets served, Object holder) {
		synchronized (REGISTRIES) {
			REGISTRIES.computeIfAbsent(served, (key) -> Collections.newSetFromMap(new WeakHashMap<>())).add(holder);
		}
	}

	/**
	 * Stop masking with a registry for one holder (an application whose context is closed);
	 * other holders of the same registry keep it in use.
	 */
	static void forget(ServedSecrets served, Object holder) {
		synchronized (REGISTRIES) {
			Set<Object> holders = REGISTRIES.get(served);
			if (holders != null) {
				holders.remove(holder);
				if (holders.isEmpty()) {
					REGISTRIES.remove(served);
				}
			}
		}
	}

	static List<ServedSecrets> inUse() {
		synchronized (REGISTRIES) {
			List<ServedSecrets> registries = new ArrayList<>(REGISTRIES.size());
			REGISTRIES.forEach((served, holders) -> {
				if (!holders.isEmpty()) {
					registries.add(served);
				}
			});
			return registries;
		}
	}

	/** A text with every secret of the registries replaced; the same instance when none shows. */
	static String mask(String text, List<ServedSecrets> registries) {
		String masked = text;
		for (ServedSecrets served : registries) {
			masked = served.mask(masked);
		}
		return masked;
	}

}
