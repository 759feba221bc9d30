// EspoCRM names <-> canonical names (mapping.md §2, §3), links (espocrm.md §8), ids and value maps.
import { loadRegistry } from '../../../core/schema/load';
import {
  espoEntity, espoKinds, espoLink, espoLinkNames, espoName, formatEspoId, fromEspoValue, isExposed, parseEspoId,
  parentTypeFromEspo, parentTypeToEspo, phoneTypeFromEspo, phoneTypeToEspo, relatedWhere, toAttribute, toEspoValue,
  toField,
} from '../../../dialects/espo/names';

const registry = loadRegistry();

describe('entity names', () => {
  test.each([
    ['Account', { entity: 'account' }],
    ['account', { entity: 'account' }],
    ['Contact', { entity: 'contact' }],
    ['Lead', { entity: 'lead' }],
    ['Opportunity', { entity: 'opportunity' }],
    ['Case', { entity: 'case' }],
    ['Document', { entity: 'document' }],
    ['Campaign', { entity: 'campaign' }],
    ['Email', { entity: 'email' }],
    ['User', { entity: 'user' }],
    ['Team', { entity: 'team' }],
    ['Note', { entity: 'note' }],
    ['DocumentFolder', { entity: 'document_folder' }],
    ['documentFolder', { entity: 'document_folder' }],
    ['Task', { entity: 'activity', kind: 'task' }],
    ['task', { entity: 'activity', kind: 'task' }],
    ['Call', { entity: 'activity', kind: 'call' }],
    ['Meeting', { entity: 'activity', kind: 'meeting' }],
    ['OpportunityLine', { entity: 'opportunity_line' }],
    ['Product', { entity: 'product' }],
    ['CampaignMember', { entity: 'campaign_member' }],
    ['CampaignStage', { entity: 'campaign_stage' }],
    ['ACCOUNT', undefined],
    ['Documentfolder', undefined],
    ['Activity', undefined],
    ['Tag', undefined],
    ['OpportunityHistory', undefined],
    ['Foo', undefined],
    ['', undefined],
    ['Account;DROP TABLE account', undefined],
  ])('espoEntity(%p)', (name, expected) => {
    expect(espoEntity(registry, name)).toEqual(expected);
  });

  test.each([
    ['account', undefined, 'Account'],
    ['document_folder', undefined, 'DocumentFolder'],
    ['opportunity_line', undefined, 'OpportunityLine'],
    ['activity', 'task', 'Task'],
    ['activity', 'email', 'Task'],
    ['activity', 'note', 'Task'],
    ['activity', 'call', 'Call'],
    ['activity', 'meeting', 'Meeting'],
    ['activity', undefined, 'Task'],
    ['support_ticket', undefined, 'SupportTicket'],
  ])('espoName(%p, %p) = %p', (entity, kind, expected) => {
    expect(espoName(entity, kind)).toBe(expected);
  });

  test('espoKinds', () => {
    expect(espoKinds('activity', 'task')).toEqual(['task', 'email', 'note']);
    expect(espoKinds('activity', 'email')).toEqual(['task', 'email', 'note']);
    expect(espoKinds('activity', 'call')).toEqual(['call']);
    expect(espoKinds('activity', 'meeting')).toEqual(['meeting']);
    expect(espoKinds('account')).toBeUndefined();
  });

  test('a run-time entity gets the generic name', () => {
    const r = loadRegistry();
    r.addEntity({ name: 'support_ticket', label: 'Support Ticket', plural: 'Support Tickets', custom: true,
      fields: { title: { name: 'title', type: 'string' }, account_id: { name: 'account_id', type: 'link', entity: 'account' } } });
    expect(espoEntity(r, 'SupportTicket')).toEqual({ entity: 'support_ticket' });
    expect(toField(r, 'support_ticket', 'accountId')).toBe('account_id');
    expect(espoLink(r, 'account', undefined, 'supportTickets')).toMatchObject({ type: 'hasMany', key: 'support_ticket.account_id' });
  });
});

describe('attributes', () => {
  test.each([
    // [entity, kind, attribute, field]
    ['account', undefined, 'id', 'id'],
    ['account', undefined, 'name', 'name'],
    ['account', undefined, 'createdAt', 'created_at'],
    ['account', undefined, 'modifiedAt', 'modified_at'],
    ['account', undefined, 'createdById', 'created_by'],
    ['account', undefined, 'modifiedById', 'modified_by'],
    ['account', undefined, 'assignedUserId', 'assigned_user_id'],
    ['account', undefined, 'deleted', 'deleted_at'],
    ['account', undefined, 'emailAddress', 'email'],
    ['account', undefined, 'emailAddressIsOptedOut', 'email_opt_out'],
    ['account', undefined, 'emailAddressData', 'emails'],
    ['account', undefined, 'phoneNumber', 'phone'],
    ['account', undefined, 'phoneNumberData', 'phones'],
    ['account', undefined, 'billingAddressStreet', 'billing_address_street'],
    ['account', undefined, 'billingAddressPostalCode', 'billing_address_postal_code'],
    ['account', undefined, 'shippingAddressCountry', 'shipping_address_country'],
    ['account', undefined, 'sicCode', 'sic_code'],
    ['account', undefined, 'campaignId', 'campaign_id'],
    ['account', undefined, 'originalLeadId', 'original_lead_id'],
    ['account', undefined, 'employees', undefined],
    ['account', undefined, 'billingAddressPoBox', undefined],
    ['account', undefined, 'tagIds', undefined],
    ['account', undefined, 'number', undefined],
    ['account', undefined, 'phoneFax', undefined],
    ['account', undefined, 'email2', undefined],
    ['account', undefined, 'Name', undefined],
    ['contact', undefined, 'salutationName', 'salutation'],
    ['contact', undefined, 'firstName', 'first_name'],
    ['contact', undefined, 'lastName', 'last_name'],
    ['contact', undefined, 'middleName', 'middle_name'],
    ['contact', undefined, 'name', 'name'],
    ['contact', undefined, 'accountId', 'account_id'],
    ['contact', undefined, 'accountsIds', 'account_ids'],
    ['contact', undefined, 'accountIds', undefined],
    ['contact', undefined, 'accountIsInactive', 'left_company'],
    ['contact', undefined, 'doNotCall', 'do_not_call'],
    ['contact', undefined, 'addressCity', 'address_city'],
    ['contact', undefined, 'department', undefined],
    ['contact', undefined, 'phoneMobile', undefined],
    ['lead', undefined, 'accountName', 'account_name'],
    ['lead', undefined, 'opportunityAmountCurrency', 'opportunity_amount_currency'],
    ['lead', undefined, 'createdAccountId', 'created_account_id'],
    ['lead', undefined, 'createdContactId', 'created_contact_id'],
    ['lead', undefined, 'createdOpportunityId', 'created_opportunity_id'],
    ['lead', undefined, 'convertedAt', 'converted_at'],
    ['opportunity', undefined, 'amountCurrency', 'amount_currency'],
    ['opportunity', undefined, 'contactsIds', 'contact_ids'],
    ['opportunity', undefined, 'closeDate', 'close_date'],
    ['opportunity', undefined, 'leadSource', 'lead_source'],
    ['opportunity', undefined, 'lastStage', 'last_stage'],
    ['opportunity', undefined, 'nextStep', undefined],
    ['case', undefined, 'number', 'number'],
    ['case', undefined, 'contactsIds', 'contact_ids'],
    ['case', undefined, 'leadId', 'lead_id'],
    ['case', undefined, 'isInternal', 'is_internal'],
    ['document', undefined, 'accountsIds', 'account_ids'],
    ['document', undefined, 'contactsIds', 'contact_ids'],
    ['document', undefined, 'leadsIds', 'lead_ids'],
    ['document', undefined, 'opportunitiesIds', 'opportunity_ids'],
    ['document', undefined, 'folderId', 'folder_id'],
    ['document', undefined, 'publishDate', 'publish_date'],
    ['document', undefined, 'casesIds', undefined],
    ['email', undefined, 'name', 'subject'],
    ['email', undefined, 'subject', 'subject'],
    ['email', undefined, 'from', 'from_address'],
    ['email', undefined, 'to', 'to_addresses'],
    ['email', undefined, 'cc', 'cc_addresses'],
    ['email', undefined, 'bcc', 'bcc_addresses'],
    ['email', undefined, 'parentType', 'parent_type'],
    ['email', undefined, 'isHtml', 'is_html'],
    ['campaign', undefined, 'revenue', 'won_amount'],
    ['campaign', undefined, 'budgetCurrency', 'budget_currency'],
    ['user', undefined, 'userName', 'user_name'],
    ['user', undefined, 'isActive', 'is_active'],
    ['user', undefined, 'isAdmin', undefined],
    ['note', undefined, 'post', 'body'],
    ['note', undefined, 'parentId', 'parent_id'],
    ['note', undefined, 'body', undefined],
    ['activity', 'task', 'priority', 'priority'],
    ['activity', 'task', 'dateCompleted', 'date_completed'],
    ['activity', 'task', 'usersIds', undefined],
    ['activity', 'task', 'direction', undefined],
    ['activity', 'task', 'kind', undefined],
    ['activity', 'call', 'direction', 'direction'],
    ['activity', 'call', 'usersIds', 'attendee_user_ids'],
    ['activity', 'call', 'contactsIds', 'attendee_contact_ids'],
    ['activity', 'call', 'leadsIds', 'attendee_lead_ids'],
    ['activity', 'call', 'priority', undefined],
    ['activity', 'meeting', 'isAllDay', 'all_day'],
    ['activity', 'meeting', 'dateStart', 'date_start'],
    ['activity', 'meeting', 'parentType', 'parent_type'],
    ['opportunity_line', undefined, 'opportunityId', 'opportunity_id'],
    ['opportunity_line', undefined, 'unitPriceCurrency', 'unit_price_currency'],
    ['opportunity_line', undefined, 'createdById', 'created_by'],
    ['opportunity_line', undefined, 'createdBy', undefined],
    ['product', undefined, 'qtyInStock', 'qty_in_stock'],
    ['product', undefined, 'number', 'number'],
    ['campaign_member', undefined, 'stageId', 'stage_id'],
    ['nope', undefined, 'name', undefined],
  ])('%s(%s): %s <-> %s', (entity, kind, attribute, field) => {
    expect(toField(registry, entity, attribute, kind)).toBe(field);
    if (field && attribute !== 'subject') expect(toAttribute(registry, entity, field, kind)).toBe(attribute);
  });

  test('fields EspoCRM does not show get the generic name but are not exposed', () => {
    expect(toAttribute(registry, 'account', 'employees')).toBe('employees');
    expect(isExposed(registry, 'account', 'employees')).toBe(false);
    expect(isExposed(registry, 'account', 'name')).toBe(true);
    expect(isExposed(registry, 'activity', 'direction', 'task')).toBe(false);
    expect(isExposed(registry, 'activity', 'direction', 'call')).toBe(true);
  });

  test('a run-time field of a native entity follows the generic rule (and the cache sees it)', () => {
    const r = loadRegistry();
    expect(toField(r, 'account', 'loyaltyTier')).toBeUndefined();
    r.addField('account', { name: 'loyalty_tier', type: 'string', custom: true });
    r.addField('account', { name: 'partner_ids', type: 'links', entity: 'account', custom: true });
    expect(toField(r, 'account', 'loyaltyTier')).toBe('loyalty_tier');
    expect(toAttribute(r, 'account', 'loyalty_tier')).toBe('loyaltyTier');
    expect(toField(r, 'account', 'partnerIds')).toBe('partner_ids');
    expect(espoLink(r, 'account', undefined, 'partner')).toMatchObject({ type: 'manyMany', key: 'account.partner_ids' });
  });
});

describe('links', () => {
  test.each([
    // [entity, kind, link, expected subset]
    ['account', undefined, 'contacts', { type: 'manyMany', key: 'contact.account_ids', target: 'contact', targetEspo: 'Contact' }],
    ['account', undefined, 'contactsPrimary', { type: 'hasMany', key: 'contact.account_id', target: 'contact' }],
    ['account', undefined, 'opportunities', { type: 'hasMany', key: 'opportunity.account_id' }],
    ['account', undefined, 'cases', { type: 'hasMany', key: 'case.account_id' }],
    ['account', undefined, 'documents', { type: 'manyMany', key: 'document.account_ids' }],
    ['account', undefined, 'tasks', { type: 'hasChildren', key: 'activity.parent_id', target: 'activity', targetEspo: 'Task', targetKinds: ['task', 'email', 'note'] }],
    ['account', undefined, 'calls', { type: 'hasChildren', key: 'activity.parent_id', targetKinds: ['call'] }],
    ['account', undefined, 'meetings', { type: 'hasChildren', key: 'activity.parent_id', targetKinds: ['meeting'] }],
    ['account', undefined, 'emails', { type: 'hasChildren', key: 'email.parent_id', target: 'email' }],
    ['account', undefined, 'callsPrimary', { type: 'hasMany', key: 'activity.account_id', targetKinds: ['call'] }],
    ['account', undefined, 'assignedUser', { type: 'belongsTo', key: 'account.assigned_user_id', target: 'user', field: 'assigned_user_id' }],
    ['account', undefined, 'createdBy', { type: 'belongsTo', key: 'account.created_by', field: 'created_by' }],
    ['account', undefined, 'campaign', { type: 'belongsTo', key: 'account.campaign_id' }],
    ['account', undefined, 'originalLead', { type: 'belongsTo', key: 'account.original_lead_id', target: 'lead' }],
    ['contact', undefined, 'account', { type: 'belongsTo', key: 'contact.account_id', field: 'account_id' }],
    ['contact', undefined, 'accounts', { type: 'manyMany', key: 'contact.account_ids', target: 'account' }],
    ['contact', undefined, 'opportunities', { type: 'manyMany', key: 'opportunity.contact_ids' }],
    ['contact', undefined, 'opportunitiesPrimary', { type: 'hasMany', key: 'opportunity.contact_id' }],
    ['contact', undefined, 'cases', { type: 'manyMany', key: 'case.contact_ids' }],
    ['contact', undefined, 'casesPrimary', { type: 'hasMany', key: 'case.contact_id' }],
    ['contact', undefined, 'calls', { type: 'manyMany', key: 'activity.attendee_contact_ids', targetKinds: ['call'] }],
    ['contact', undefined, 'meetingsChildren', { type: 'hasChildren', key: 'activity.parent_id', targetKinds: ['meeting'] }],
    ['contact', undefined, 'tasksPrimary', { type: 'hasMany', key: 'activity.contact_id' }],
    ['contact', undefined, 'documents', { type: 'manyMany', key: 'document.contact_ids' }],
    ['lead', undefined, 'meetings', { type: 'manyMany', key: 'activity.attendee_lead_ids' }],
    ['lead', undefined, 'cases', { type: 'hasMany', key: 'case.lead_id' }],
    ['lead', undefined, 'createdAccount', { type: 'belongsTo', key: 'lead.created_account_id', target: 'account' }],
    ['opportunity', undefined, 'account', { type: 'belongsTo', key: 'opportunity.account_id' }],
    ['opportunity', undefined, 'contact', { type: 'belongsTo', key: 'opportunity.contact_id' }],
    ['opportunity', undefined, 'contacts', { type: 'manyMany', key: 'opportunity.contact_ids' }],
    ['opportunity', undefined, 'documents', { type: 'manyMany', key: 'document.opportunity_ids' }],
    ['opportunity', undefined, 'opportunityLines', { type: 'hasMany', key: 'opportunity_line.opportunity_id', targetEspo: 'OpportunityLine' }],
    ['case', undefined, 'contacts', { type: 'manyMany', key: 'case.contact_ids' }],
    ['case', undefined, 'lead', { type: 'belongsTo', key: 'case.lead_id' }],
    ['case', undefined, 'tasks', { type: 'hasChildren', key: 'activity.parent_id' }],
    ['document', undefined, 'accounts', { type: 'manyMany', key: 'document.account_ids' }],
    ['document', undefined, 'opportunities', { type: 'manyMany', key: 'document.opportunity_ids' }],
    ['document', undefined, 'folder', { type: 'belongsTo', key: 'document.folder_id', target: 'document_folder' }],
    ['document_folder', undefined, 'documents', { type: 'hasMany', key: 'document.folder_id' }],
    ['activity', 'task', 'parent', { type: 'belongsToParent', key: 'activity.parent_id', field: 'parent_id' }],
    ['activity', 'task', 'account', { type: 'belongsTo', key: 'activity.account_id' }],
    ['activity', 'call', 'users', { type: 'manyMany', key: 'activity.attendee_user_ids', target: 'user' }],
    ['activity', 'meeting', 'leads', { type: 'manyMany', key: 'activity.attendee_lead_ids' }],
    ['user', undefined, 'calls', { type: 'manyMany', key: 'activity.attendee_user_ids', targetKinds: ['call'] }],
    ['campaign', undefined, 'accounts', { type: 'hasMany', key: 'account.campaign_id' }],
    ['campaign', undefined, 'campaignMembers', { type: 'hasMany', key: 'campaign_member.campaign_id' }],
    ['product', undefined, 'opportunityLines', { type: 'hasMany', key: 'opportunity_line.product_id' }],
    ['email', undefined, 'parent', { type: 'belongsToParent', key: 'email.parent_id' }],
  ])('%s(%s).%s', (entity, kind, name, expected) => {
    expect(espoLink(registry, entity, kind, name)).toMatchObject({ name, ...expected });
  });

  test.each([
    ['account', undefined, 'foo'],
    ['account', undefined, 'Contacts'],
    ['activity', 'task', 'users'],
    ['account', undefined, 'tags'],
    ['case', undefined, 'products'],
    ['account', undefined, 'constructor'],
  ])('%s(%s) has no link %s', (entity, kind, name) => {
    expect(espoLink(registry, entity, kind, name)).toBeUndefined();
  });

  test('espoLinkNames lists every link once', () => {
    const names = espoLinkNames(registry, 'account');
    expect(names).toEqual(expect.arrayContaining(['contacts', 'contactsPrimary', 'opportunities', 'cases', 'documents',
      'tasks', 'calls', 'meetings', 'emails', 'tasksPrimary', 'callsPrimary', 'meetingsPrimary', 'assignedUser', 'campaign']));
    expect(new Set(names).size).toBe(names.length);
  });

  test('relatedWhere builds the where on the other side', () => {
    const link = (e: string, n: string, k?: string) => espoLink(registry, e, k, n)!;
    expect(relatedWhere(link('account', 'contacts'), 'account', 7)).toEqual({ link: 'contact.account_ids', op: 'linkedWith', value: [7] });
    expect(relatedWhere(link('contact', 'account'), 'contact', 7)).toEqual({ link: 'contact.account_id', op: 'linkedWith', value: [7] });
    expect(relatedWhere(link('account', 'calls'), 'account', 7)).toEqual({ and: [
      { field: 'parent_type', op: 'eq', value: 'account' }, { field: 'parent_id', op: 'eq', value: 7 },
      { field: 'kind', op: 'in', value: ['call'] }] });
    expect(relatedWhere(link('account', 'emails'), 'account', 7)).toEqual({ and: [
      { field: 'parent_type', op: 'eq', value: 'account' }, { field: 'parent_id', op: 'eq', value: 7 }] });
    expect(relatedWhere(link('contact', 'meetings'), 'contact', 7)).toEqual({ and: [
      { link: 'activity.attendee_contact_ids', op: 'linkedWith', value: [7] }, { field: 'kind', op: 'in', value: ['meeting'] }] });
    expect(relatedWhere(link('activity', 'parent', 'task'), 'activity', 7)).toBeUndefined();
  });
});

describe('ids and values', () => {
  test.each([[1, '00000000000000001'], [31, '0000000000000001f'], [255, '000000000000000ff'], [2 ** 40, '00000010000000000']])(
    'formatEspoId(%p) = %p', (id, hex) => {
      expect(formatEspoId(id)).toBe(hex);
      expect(parseEspoId(hex)).toBe(id);
    });

  test.each([['1F', 31], ['1f', 31], ['xyz', undefined], ['', undefined], ['0', undefined], ['66a1f3c2b4d5e9f0a', undefined], ['0001fffffffffffff', 2 ** 53 - 1],
    ['000000000000000000001', undefined], [31, undefined], [null, undefined], ['1f; DROP', undefined]])(
    'parseEspoId(%p) = %p', (value, id) => {
      expect(parseEspoId(value)).toBe(id);
    });

  test.each([['office', 'Office'], ['mobile', 'Mobile'], ['home', 'Home'], ['fax', 'Fax'], ['other', 'Other']])(
    'phone type %s <-> %s', (canonical, espo) => {
      expect(phoneTypeToEspo(canonical)).toBe(espo);
      expect(phoneTypeFromEspo(espo)).toBe(canonical);
      expect(phoneTypeFromEspo(espo.toUpperCase())).toBe(canonical);
    });

  test('unknown phone types and nulls pass through', () => {
    expect(phoneTypeToEspo('pager')).toBe('pager');
    expect(phoneTypeFromEspo('Pager')).toBe('Pager');
    expect(phoneTypeToEspo(null)).toBeNull();
    expect(phoneTypeFromEspo('')).toBeNull();
  });

  test('parent types are entity names', () => {
    expect(parentTypeToEspo('account')).toBe('Account');
    expect(parentTypeToEspo('opportunity')).toBe('Opportunity');
    expect(parentTypeFromEspo(registry, 'Case')).toBe('case');
    expect(parentTypeFromEspo(registry, 'Bogus')).toBe('Bogus');
    expect(toEspoValue(registry, 'activity', 'parent_type', 'lead')).toBe('Lead');
    expect(fromEspoValue(registry, 'activity', 'parent_type', 'Lead')).toBe('lead');
    expect(fromEspoValue(registry, 'email', 'parent_type', 'Account')).toBe('account');
  });

  test('picklists are the identity', () => {
    expect(toEspoValue(registry, 'opportunity', 'stage', 'Closed Won')).toBe('Closed Won');
    expect(fromEspoValue(registry, 'lead', 'status', 'In Process')).toBe('In Process');
    expect(fromEspoValue(registry, 'account', 'type', 'Customer')).toBe('Customer');
  });
});
