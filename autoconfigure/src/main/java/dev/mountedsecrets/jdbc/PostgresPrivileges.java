package dev.mountedsecrets.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.mountedsecrets.jdbc.RoleRules.Role;
import dev.mountedsecrets.jdbc.RoleRules.Verdict;

/**
 * PostgreSQL: the login role must not be a superuser, have {@code BYPASSRLS}, be
 * {@code postgres}, or be a member (directly or not) of a role that is a superuser or has
 * {@code BYPASSRLS}, since {@code SET ROLE} would make it that role. Read from
 * {@code pg_roles} and {@code pg_auth_members}.
 */
final class PostgresPrivileges implements DatabasePrivileges {

	private static final String ROLE_QUERY = "SELECT r.rolname, r.rolsuper, r.rolbypassrls,"
			+ " r.rolname = session_user AS login FROM pg_roles r WHERE r.rolname = session_user"
			+ " OR ((r.rolsuper OR r.rolbypassrls) AND pg_has_role(session_user, r.oid, 'MEMBER'))"
			+ " ORDER BY login DESC, r.rolname";

	/** The roles granted to the login role directly through which it reaches a privileged role. */
	private static final String GRANTS_QUERY = "SELECT DISTINCT g.rolname FROM pg_auth_members m"
			+ " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles s ON s.oid = m.member WHERE s.rolname = session_user"
			+ " AND EXISTS (SELECT 1 FROM pg_roles p WHERE (p.rolsuper OR p.rolbypassrls)"
			+ " AND pg_has_role(g.oid, p.oid, 'MEMBER')) ORDER BY 1";

	@Override
	public Finding inspect(Connection connection) throws SQLException {
		List<Role> roles = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(ROLE_QUERY);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				roles.add(new Role(result.getString(1), result.getBoolean(2), result.getBoolean(3), List.of()));
			}
		}
		if (roles.isEmpty()) {
			throw new SQLException("pg_roles does not list the session user");
		}
		Role login = roles.get(0);
		if (roles.size() > 1 && !login.superuser()) {
			login = login.withGrants(grantsLeadingToPrivilege(connection));
		}
		Verdict verdict = RoleRules.verdict(login, roles.subList(1, roles.size()));
		return new Finding("PostgreSQL", login.name(), verdict.violations(),
				verdict.memberOf(), login.grants(), List.of());
	}

	private static List<String> grantsLeadingToPrivilege(Connection connection) throws SQLException {
		List<String> grants = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(GRANTS_QUERY);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				grants.add(result.getString(1));
			}
		}
		return grants;
	}

}
