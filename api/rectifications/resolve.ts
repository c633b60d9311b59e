/**
 * Who takes part in a rectification, resolved once at start for every way one begins
 * (POST /api/v1/rectifications, a CITY-DIC head's interview under Art. 12(2)): the PC that
 * rectifies, its upper-level DIC that reviews and closes, who hears of delays, the
 * responsible leader and the policy version the process keeps.
 */
import type { Principal } from '../http/endpoint.js';
import { unprocessable } from '../http/errors.js';
import { oversightRoot } from '../auth/access.js';
import type { Models } from '../../models/index.js';
import type { Org } from '../../models/org.js';
import { principalLeaderOf, supervisingDicOf, upperDicOf } from '../../models/org-queries.js';
import { processPolicyForStart } from '../../models/policy.js';
import { RECTIFICATION_POLICY_CODE } from '../../domain/rectification/policy.js';
import type { RectificationInput, RectificationParty } from '../../workflows/rectification.js';
import { RECTIFICATION_PROCESS_TYPE } from '../../workflows/rectification.model.js';
import { actorOf } from '../auth/tokens.js';

/** Account roles that complete the tasks of each side (documented in docs/decisions.md). */
const TARGET_ROLES: RectificationParty['roles'] = ['unit', 'leader'];
const REVIEWER_ROLES: RectificationParty['roles'] = ['caseOfficer', 'supervisor'];

const unique = (ids: Array<string | undefined>) => [...new Set(ids.filter((id): id is string => Boolean(id)))];

const party = (org: Org, roles: RectificationParty['roles'], escalateTo: string[], deciderOrgId: string): RectificationParty => ({
  orgId: org._id,
  orgPath: [...org.path],
  roles,
  escalateTo,
  deciderOrgId,
});

export interface RectificationStart {
  principal: Principal;
  /** The PC that rectifies. */
  target: Org;
  /** The PC or DIC that gave the feedback. */
  issuer: Org;
  /** The organisation whose case officers may cancel it. */
  issuerOrgId: string;
  feedbackId: string;
  channel: RectificationInput['channel'];
}

export type RectificationTemplate = Omit<RectificationInput, 'feedbackDate' | 'findings'>;

export async function resolveRectification(models: Models, start: RectificationStart): Promise<RectificationTemplate> {
  const { target, issuer, principal } = start;
  if (target.kind !== 'pc') throw unprocessable('a rectification is owed by a party committee (the target must be a PC)', { reason: 'targetNotPc', orgId: target._id });
  // Feedback comes from the upper level: the issuer oversees the target from above.
  const issuerRoot = oversightRoot(issuer);
  if (issuerRoot === target._id || !target.path.includes(issuerRoot)) throw unprocessable('the issuing organisation is not above the target', { reason: 'issuerNotAboveTarget' });
  const reviewer = await upperDicOf(models, target._id);
  if (!reviewer) throw unprocessable(`${target._id} has no upper-level commission to review its plan`);
  const [ownDic, reviewerSupervisor, leader, policy] = await Promise.all([
    supervisingDicOf(models, target._id),
    supervisingDicOf(models, reviewer._id),
    principalLeaderOf(models, target._id),
    processPolicyForStart(models, RECTIFICATION_POLICY_CODE),
  ]);
  return {
    identity: {
      processType: RECTIFICATION_PROCESS_TYPE,
      title: `整改 Rectification: ${target.nameZh} / ${target.name} (${start.feedbackId})`,
      orgId: target._id,
      orgPath: [...target.path],
      startedBy: actorOf(principal),
      issuerOrgId: start.issuerOrgId,
    },
    feedbackId: start.feedbackId,
    channel: start.channel,
    issuingOrgId: issuer._id,
    target: party(target, TARGET_ROLES, unique([ownDic?._id, reviewer._id]), reviewer._id),
    // A late review is the reviewer's own delay: its supervising (upper) DIC hears of it.
    reviewer: party(reviewer, REVIEWER_ROLES, unique([reviewerSupervisor?._id ?? reviewer._id]), reviewerSupervisor?._id ?? reviewer._id),
    ...(leader ? { responsiblePerson: { personId: leader._id, name: leader.name } } : {}),
    policy: { version: policy.version, entry: policy.entry },
  };
}

export const rectificationProcessId = (targetOrgId: string, feedbackId: string) => `rectification:${targetOrgId}:${feedbackId}`;
