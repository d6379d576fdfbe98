package dev.foyer.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.audit.AuditLog;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

/** Security groups and their members. A group and its members always belong to one tenant. */
@Service
public class Groups {

	private final JdbcClient jdbc;

	private final Accounts accounts;

	private final AuditLog audit;

	public Groups(JdbcClient jdbc, Accounts accounts, AuditLog audit) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.audit = audit;
	}

	@Transactional
	public Group create(String tenantId, String displayName, String description) {
		FieldChecks checks = new FieldChecks();
		String name = checks.text("displayName", displayName, 256, true);
		String text = checks.text("description", description, 1024, false);
		checks.throwIfAny();
		Instant now = Accounts.now();
		Group group = new Group(UUID.randomUUID().toString(), tenantId, name, text, now, now);
		this.jdbc.sql("insert into security_group (id, tenant_id, display_name, description, created_at, updated_at) values (?, ?, ?, ?, ?, ?)")
			.params(group.id(), tenantId, name, text, Timestamp.from(now), Timestamp.from(now))
			.update();
		this.audit.record(tenantId, "group.create", "group", group.id(), null, group);
		return group;
	}

	public List<Group> list(String tenantId) {
		return this.jdbc.sql("select * from security_group where tenant_id = ? order by display_name, id")
			.param(tenantId)
			.query(Groups::map)
			.list();
	}

	public Optional<Group> find(String tenantId, String id) {
		return this.jdbc.sql("select * from security_group where tenant_id = ? and id = ?")
			.params(tenantId, id)
			.query(Groups::map)
			.optional();
	}

	public Group get(String tenantId, String id) {
		return find(tenantId, id).orElseThrow(() -> ApiException.notFound("Group"));
	}

	@Transactional
	public Group update(String tenantId, String id, String displayName, String description) {
		Group before = get(tenantId, id);
		FieldChecks checks = new FieldChecks();
		String name = displayName == null ? before.displayName() : checks.text("displayName", displayName, 256, true);
		String text = description == null ? before.description() : checks.text("description", description, 1024, false);
		checks.throwIfAny();
		Group after = new Group(id, tenantId, name, text, before.createdAt(), Accounts.now());
		this.jdbc.sql("update security_group set display_name = ?, description = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(name, text, Timestamp.from(after.updatedAt()), tenantId, id)
			.update();
		this.audit.record(tenantId, "group.update", "group", id, before, after);
		return after;
	}

	@Transactional
	public void delete(String tenantId, String id) {
		Group before = get(tenantId, id);
		this.jdbc.sql("delete from app_role_assignment where tenant_id = ? and principal_id = ?").params(tenantId, id).update();
		this.jdbc.sql("delete from security_group where tenant_id = ? and id = ?").params(tenantId, id).update();
		this.audit.record(tenantId, "group.delete", "group", id, before, null);
	}

	@Transactional
	public void addMember(String tenantId, String groupId, String accountId) {
		get(tenantId, groupId);
		if (accountId == null || this.accounts.find(tenantId, accountId).isEmpty()) {
			throw ApiException.invalid("userId", "is not a user of this tenant");
		}
		boolean member = this.jdbc.sql("select count(*) from group_member where group_id = ? and account_id = ?")
			.params(groupId, accountId)
			.query(Integer.class)
			.single() > 0;
		if (member) {
			throw ApiException.conflict("The user is already a member of the group");
		}
		this.jdbc.sql("insert into group_member (group_id, account_id, tenant_id, added_at) values (?, ?, ?, ?)")
			.params(groupId, accountId, tenantId, Timestamp.from(Instant.now()))
			.update();
		this.audit.record(tenantId, "group.member.add", "group", groupId, null, java.util.Map.of("userId", accountId));
	}

	@Transactional
	public void removeMember(String tenantId, String groupId, String accountId) {
		get(tenantId, groupId);
		int removed = this.jdbc.sql("delete from group_member where tenant_id = ? and group_id = ? and account_id = ?")
			.params(tenantId, groupId, accountId)
			.update();
		if (removed == 0) {
			throw ApiException.notFound("Membership");
		}
		this.audit.record(tenantId, "group.member.remove", "group", groupId, java.util.Map.of("userId", accountId), null);
	}

	public List<Account> members(String tenantId, String groupId) {
		get(tenantId, groupId);
		return this.jdbc.sql("""
				select a.* from account a join group_member m on m.account_id = a.id
				where m.tenant_id = ? and m.group_id = ? and a.tenant_id = m.tenant_id order by a.email_normalized""")
			.params(tenantId, groupId)
			.query(Accounts::map)
			.list();
	}

	public List<Group> groupsOf(String tenantId, String accountId) {
		this.accounts.get(tenantId, accountId);
		return this.jdbc.sql("""
				select g.* from security_group g join group_member m on m.group_id = g.id
				where m.tenant_id = ? and m.account_id = ? and g.tenant_id = m.tenant_id order by g.display_name, g.id""")
			.params(tenantId, accountId)
			.query(Groups::map)
			.list();
	}

	private static Group map(ResultSet rs, int row) throws SQLException {
		return new Group(rs.getString("id"), rs.getString("tenant_id"), rs.getString("display_name"),
				rs.getString("description"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

}
