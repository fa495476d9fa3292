package dev.mountedsecrets.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
/**
 * MariaDB and MySQL: the login must hold no privilege on {@code *.*} but {@code USAGE}, none
 * on the {@code mysql} schema (the server's accounts and grants), nothing but rights on rows
 * and routines ({@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE},
 * {@code EXECUTE}, ...) on any schema or table, so no {@code CREATE}, {@code DROP},
 * {@code ALTER}, {@code INDEX}, {@code REFERENCES}, {@code TRIGGER}, ..., no
 * {@code GRANT OPTION}, and no role (granted directly or through other roles, default or
 * not: {@code SET ROLE} enables any) that holds one of these. What is not known to be a right
 * on rows is refused, so a privilege a later server version adds is refused too.
 * <p>
 * Read from {@code SHOW GRANTS}, the server's own account of the login and of each role
 * granted to it, with what that role has through other roles (MariaDB: the role enabled with
 * {@code SET ROLE} for that one query, the session's role restored after it; MySQL:
 * {@code SHOW GRANTS ... USING role}, since a MySQL user may not list a role's grants
 * otherwise). A grant line this class cannot read, or a role whose grants it cannot list,
 * counts as a refused privilege. The lines
 * may carry a password hash ({@code IDENTIFIED BY PASSWORD}): no line is ever quoted.
 */
final class MySqlPrivileges implements DatabasePrivileges {

	/** Rights on rows and routines: what an application needs, on its own schema or tables. */
	private static final Set<String> DATA_RIGHTS = Set.of("USAGE", "SELECT", "INSERT", "UPDATE", "DELETE",
			"EXECUTE", "SHOW VIEW", "LOCK TABLES", "CREATE TEMPORARY TABLES");

	private final String product;

	MySqlPrivileges(String product) {
		this.product = product;
	}

	@Override
	public Finding inspect(Connection connection) throws SQLException {
		String account = account(connection);
		Grants own = Grants.read(query(connection, "SHOW GRANTS FOR CURRENT_USER()"));
		List<String> violations = new ArrayList<>(own.violations());
		List<String> revocations = new ArrayList<>(own.revocations(account));
		List<String> memberOf = new ArrayList<>();
		List<String> grants = new ArrayList<>();
		for (String role : own.roles()) {
			List<String> roleViolations = grantsOfRole(connection, role, own).violations();
			if (!roleViolations.isEmpty()) {
				String how = own.defaultRoles().contains(role) ? "its default role, enabled at login" : "SET ROLE";
				violations.add("can use role " + role + " (" + how + "), which " + String.join(" and ", roleViolations));
				memberOf.add(role);
				grants.add(role);
				revocations.add("REVOKE " + role + " FROM " + account + ";");
			}
		}
		return new Finding(this.product, account, violations, memberOf, grants, revocations);
	}

	/**
	 * The grants of a role granted to the login, those it has through other roles included.
	 * MariaDB lists the grants of the enabled role only, and then with those of the roles
	 * granted to it, so the role is enabled for the time of the reading and the session's
	 * role restored. MySQL lists the login's grants with the role's: the role's are the rest.
	 */
	private Grants grantsOfRole(Connection connection, String role, Grants own) throws SQLException {
		if ("MySQL".equals(this.product)) {
			return Grants.read(query(connection, "SHOW GRANTS FOR CURRENT_USER() USING " + role)).without(own);
		}
		String current = query(connection, "SELECT CURRENT_ROLE()").get(0);
		try {
			execute(connection, "SET ROLE " + role);
			return Grants.read(query(connection, "SHOW GRANTS FOR " + role));
		}
		catch (SQLException ex) {
			// Refused rather than let through
			return new Grants(Map.of(), List.of(), Set.of(), 1);
		}
		finally {
			execute(connection, (current != null) ? "SET ROLE `" + current.replace("`", "``") + "`" : "SET ROLE NONE");
		}
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String account(Connection connection) throws SQLException {
		String current = query(connection, "SELECT CURRENT_USER()").get(0);
		int at = current.lastIndexOf('@');
		return (at < 0) ? "'" + current + "'"
				: "'" + current.substring(0, at) + "'@'" + current.substring(at + 1) + "'";
	}

	private static List<String> query(Connection connection, String sql) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			while (result.next()) {
				rows.add(result.getString(1));
			}
		}
		return rows;
	}

	/**
	 * The grants of one account or role, as {@code SHOW GRANTS} lists them.
	 * @param privileges the privileges per object ({@code *.*}, {@code `app`.*},
	 * {@code `app`.`notes`}, {@code PROCEDURE `app`.`p`}); {@code GRANT OPTION} among them
	 * when granted with it
	 * @param roles the roles granted, quoted as the server quotes them
	 * @param defaultRoles the roles enabled at login (MariaDB's {@code SET DEFAULT ROLE})
	 * @param unreadable how many {@code GRANT} lines could not be read
	 */
	record Grants(Map<String, Set<String>> privileges, List<String> roles, Set<String> defaultRoles, int unreadable) {

		static Grants read(List<String> lines) {
			Map<String, Set<String>> privileges = new LinkedHashMap<>();
			List<String> roles = new ArrayList<>();
			Set<String> defaultRoles = new LinkedHashSet<>();
			int unreadable = 0;
			for (String line : lines) {
				if (line.startsWith("SET DEFAULT ROLE ")) {
					int forIndex = indexOutsideQuotes(line, " FOR ", 0);
					if (forIndex > 0) {
						defaultRoles.add(line.substring("SET DEFAULT ROLE ".length(), forIndex).trim());
					}
					continue;
				}
				if (!line.startsWith("GRANT ")) {
					continue;
				}
				String rest = line.substring("GRANT ".length());
				int on = indexOutsideQuotes(rest, " ON ", 0);
				int to = indexOutsideQuotes(rest, " TO ", Math.max(on, 0));
				if (to < 0) {
					unreadable++;
				}
				else if (on < 0) {
					roles.addAll(split(rest.substring(0, to)));
				}
				else {
					Set<String> names = privileges.computeIfAbsent(rest.substring(on + 4, to).trim(),
							(object) -> new LinkedHashSet<>());
					for (String privilege : split(rest.substring(0, on))) {
						int columns = privilege.indexOf('(');
						names.add(((columns < 0) ? privilege : privilege.substring(0, columns)).trim()
							.toUpperCase(Locale.ROOT));
					}
					if (indexOutsideQuotes(rest, " WITH GRANT OPTION", to) >= 0) {
						names.add("GRANT OPTION");
					}
				}
			}
			return new Grants(privileges, roles, defaultRoles, unreadable);
		}

		/**
		 * The privileges per object that these grants hold and {@code other} does not.
		 */
		Grants without(Grants other) {
			Map<String, Set<String>> privileges = new LinkedHashMap<>();
			this.privileges.forEach((object, names) -> {
				Set<String> rest = new LinkedHashSet<>(names);
				rest.removeAll(other.privileges.getOrDefault(object, Set.of()));
				if (!rest.isEmpty()) {
					privileges.put(object, rest);
				}
			});
			return new Grants(privileges, List.of(), Set.of(), Math.max(0, this.unreadable - other.unreadable));
		}

		/** The refused privileges per object. */
		Map<String, Set<String>> refused() {
			Map<String, Set<String>> refused = new LinkedHashMap<>();
			this.privileges.forEach((object, names) -> {
				boolean wholeServer = object.equals("*.*") || isSystemSchema(object);
				Set<String> bad = new LinkedHashSet<>();
				for (String name : names) {
					if (wholeServer ? !name.equals("USAGE") : !DATA_RIGHTS.contains(name)) {
						bad.add(name);
					}
				}
				if (!bad.isEmpty()) {
					refused.put(object, bad);
				}
			});
			return refused;
		}

		List<String> violations() {
			List<String> violations = new ArrayList<>();
			refused().forEach((object, names) -> violations
				.add("holds " + String.join(", ", names) + " on " + object + describe(object)));
			if (this.unreadable > 0) {
				violations.add("holds " + this.unreadable + " grant(s) the check cannot read (see SHOW GRANTS)");
			}
			return violations;
		}

		List<String> revocations(String account) {
			List<String> revocations = new ArrayList<>();
			refused().forEach((object, names) -> revocations
				.add("REVOKE " + String.join(", ", names) + " ON " + object + " FROM " + account + ";"));
			return revocations;
		}

		private static String describe(String object) {
			if (object.equals("*.*")) {
				return " (the whole server)";
			}
			return isSystemSchema(object) ? " (the server's accounts and grants)" : "";
		}

		private static boolean isSystemSchema(String object) {
			String unquoted = object.replace("`", "").toLowerCase(Locale.ROOT);
			int space = unquoted.lastIndexOf(' ');
			unquoted = unquoted.substring(space + 1);
			return unquoted.equals("mysql.*") || unquoted.startsWith("mysql.");
		}

		private static List<String> split(String list) {
			List<String> parts = new ArrayList<>();
			int start = 0;
			int depth = 0;
			char quote = 0;
			for (int i = 0; i < list.length(); i++) {
				char c = list.charAt(i);
				if (quote != 0) {
					quote = (c == quote) ? 0 : quote;
				}
				else if (c == '`' || c == '\'') {
					quote = c;
				}
				else if (c == '(') {
					depth++;
				}
				else if (c == ')') {
					depth--;
				}
				else if (c == ',' && depth == 0) {
					parts.add(list.substring(start, i).trim());
					start = i + 1;
				}
			}
			parts.add(list.substring(start).trim());
			parts.removeIf(String::isEmpty);
			return parts;
		}

		private static int indexOutsideQuotes(String text, String keyword, int from) {
			char quote = 0;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (quote != 0) {
					quote = (c == quote) ? 0 : quote;
				}
				else if (c == '`' || c == '\'') {
					quote = c;
				}
				else if (i >= from && text.startsWith(keyword, i)) {
					return i;
				}
			}
			return -1;
		}

	}

}
