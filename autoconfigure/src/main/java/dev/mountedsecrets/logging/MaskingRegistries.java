package dev.mountedsecrets.logging;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.ServedSecrets;

/**
 * The registries the log is masked with, whatever the logging system: those of every
 * application in the process that is still alive.
 */
final class MaskingRegistries {

	/**
	 * The registries to mask with, each with what installed it (an application's environment,
	 * a Spring Cloud refresh's copy of it), held weakly: a registry is used while one of them
	 * is open. One folder's registry is shared by every application that reads the folder, so
	 * closing one must not stop the masking for the others. Guarded by itself.
	 */
	private static final Map<ServedSecrets, List<WeakReference<Object>>> REGISTRIES = new IdentityHashMap<>();

	/** Where the reference to a holder goes once the holder is garbage. */
	private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();

	/**
	 * The registries in use, as of the last change: read at every log line without a lock, so
	 * a line costs one volatile read and, only after a holder has become garbage, a look
	 * again.
	 */
	private static volatile List<ServedSecrets> inUse = List.of();

	private MaskingRegistries() {
	}

	static void add(ServedSecrets served, Object holder) {
		synchronized (REGISTRIES) {
			List<WeakReference<Object>> holders = REGISTRIES.computeIfAbsent(served, (key) -> new ArrayList<>(1));
			if (holders.stream().noneMatch((reference) -> reference.refersTo(holder))) {
				holders.add(new WeakReference<>(holder, GONE));
			}
			update();
		}
	}

	/**
	 * Stop masking with a registry for one holder (an application whose context is closed);
	 * other holders of the same registry keep it in use.
	 */
	static void forget(ServedSecrets served, Object holder) {
		synchronized (REGISTRIES) {
			List<WeakReference<Object>> holders = REGISTRIES.get(served);
			if (holders != null) {
				holders.removeIf((reference) -> reference.refersTo(holder));
			}
			update();
		}
	}

	static List<ServedSecrets> inUse() {
		if (GONE.poll() != null) {
			synchronized (REGISTRIES) {
				while (GONE.poll() != null) {
					// each holder gone is dropped by update()
				}
				update();
			}
		}
		return inUse;
	}

	/** Drop the holders gone and the registries no holder holds; publish those left. Under the lock. */
	private static void update() {
		REGISTRIES.values().forEach((holders) -> holders.removeIf((reference) -> reference.refersTo(null)));
		REGISTRIES.values().removeIf(List::isEmpty);
		inUse = List.copyOf(REGISTRIES.keySet());
	}

	/**
	 * Text written as bytes with every secret of the registries replaced; the same array when
	 * none shows (see {@link ServedSecrets#mask(byte[], Charset)}).
	 */
	static byte[] mask(byte[] bytes, Charset charset, List<ServedSecrets> registries) {
		byte[] masked = bytes;
		for (ServedSecrets served : registries) {
			masked = served.mask(masked, charset);
		}
		return masked;
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
