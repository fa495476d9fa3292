package dev.mountedsecrets;

import org.jspecify.annotations.Nullable;

/**
 * Short texts found to show no served secret, found again in one probe: {@code /actuator/env}
 * and the sanitizer ask about the same property names, values and origins at every request.
 * Belongs to one index of served values: a value served since makes a new index, which
 * remembers nothing yet, so a text is never answered clean against values it was not checked
 * against.
 * <p>
 * An open-addressing table of bounded size, without a lock: a string is immutable, so a slot
 * read by another thread holds a whole string or none, and a write lost to another thread's
 * only costs a search. When the few slots a text may take are all held, the table starts
 * again empty, rather than one text pushing out another at every request.
 */
final class CleanTexts {

	private static final int SLOT_BITS = 14;

	/** Slots of a table: a few thousand texts take under a third. */
	static final int SLOTS = 1 << SLOT_BITS;

	/** Slots looked at for one text before the table is found full. */
	static final int PROBES = 16;

	private volatile String @Nullable [] slots;

	/**
	 * Whether a text was remembered.
	 * @param text a text
	 * @return whether it is in the table
	 */
	boolean contains(String text) {
		String[] table = this.slots;
		if (table == null) {
			return false;
		}
		int hash = text.hashCode();
		for (int probe = 0, slot = spread(hash); probe < PROBES; probe++, slot = (slot + 1) & (SLOTS - 1)) {
			String held = table[slot];
			if (held == null) {
				return false;
			}
			if (held == text || (held.hashCode() == hash && held.equals(text))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Remember a text found clean.
	 * @param text the text
	 */
	void add(String text) {
		String[] table = this.slots;
		if (table == null || !put(table, text)) {
			table = new String[SLOTS];
			put(table, text);
			this.slots = table;
		}
	}

	/** Put a text in a table; {@code false} when every slot it may take is held. */
	private static boolean put(String[] table, String text) {
		int hash = text.hashCode();
		for (int probe = 0, slot = spread(hash); probe < PROBES; probe++, slot = (slot + 1) & (SLOTS - 1)) {
			String held = table[slot];
			if (held == null) {
				table[slot] = text;
				return true;
			}
			if (held == text || (held.hashCode() == hash && held.equals(text))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The first slot of a hash: Fibonacci hashing, as names that differ in their last
	 * characters ({@code secret_0001}, {@code secret_0002}) have neighbouring String hashes,
	 * which would otherwise fill runs of neighbouring slots.
	 */
	private static int spread(int hash) {
		return (hash * 0x9E3779B9) >>> (Integer.SIZE - SLOT_BITS);
	}

}
