/**
 * Every GraphQL document the Projects (v2) sync sends, as constants: the schema test validates
 * each against GitHub's published schema (@octokit/graphql-schema), and the fake executes them.
 */

/** The project, its status field and the field's options, by owner login and number. */
export const PROJECT_FIELD_QUERY = `query ProjectStatusField($login: String!, $number: Int!, $field: String!) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        id
        title
        field(name: $field) {
          __typename
          ... on ProjectV2SingleSelectField { id name options { id name } }
          ... on ProjectV2Field { id name }
          ... on ProjectV2IterationField { id name }
        }
      }
    }
  }
}`;

/** An issue's node id and its cards (one per project), with each card's status. */
export const ISSUE_ITEMS_QUERY = `query IssueProjectItems($owner: String!, $repo: String!, $number: Int!, $field: String!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      id
      projectItems(first: 50) {
        nodes {
          id
          project { id }
          fieldValueByName(name: $field) {
            __typename
            ... on ProjectV2ItemFieldSingleSelectValue { optionId name }
          }
        }
      }
    }
  }
}`;

/** One page of the project's cards: which issue each shows, and its status. */
export const PROJECT_ITEMS_QUERY = `query ProjectItems($project: ID!, $field: String!, $after: String) {
  node(id: $project) {
    ... on ProjectV2 {
      items(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          content {
            __typename
            ... on Issue { number repository { nameWithOwner } }
          }
          fieldValueByName(name: $field) {
            __typename
            ... on ProjectV2ItemFieldSingleSelectValue { optionId name }
          }
        }
      }
    }
  }
}`;

/** Adds the issue to the project; adding one already there returns its existing card. */
export const ADD_ITEM_MUTATION = `mutation AddProjectItem($project: ID!, $content: ID!) {
  addProjectV2ItemById(input: { projectId: $project, contentId: $content }) { item { id } }
}`;

/** Moves a card: sets the single-select status field to an option id. */
export const SET_STATUS_MUTATION = `mutation SetProjectStatus($project: ID!, $item: ID!, $field: ID!, $option: String!) {
  updateProjectV2ItemFieldValue(
    input: { projectId: $project, itemId: $item, fieldId: $field, value: { singleSelectOptionId: $option } }
  ) { projectV2Item { id } }
}`;

/** The answer shapes of the queries above (what the sync reads of them). */
export interface FieldAnswer {
  repositoryOwner: {
    projectV2?: {
      id: string;
      title: string;
      field: {
        __typename: string;
        id: string;
        name: string;
        options?: { id: string; name: string }[];
      } | null;
    } | null;
  } | null;
}

export interface StatusValue {
  __typename: string;
  optionId?: string;
}

export interface IssueItemsAnswer {
  repository: {
    issue: {
      id: string;
      projectItems: {
        nodes: { id: string; project: { id: string }; fieldValueByName: StatusValue | null }[];
      };
    } | null;
  } | null;
}

export interface ItemsPage {
  node: {
    items?: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: {
        id: string;
        content: { __typename: string; number?: number; repository?: { nameWithOwner: string } } | null;
        fieldValueByName: StatusValue | null;
      }[];
    };
  } | null;
}

export const PROJECT_DOCUMENTS = {
  PROJECT_FIELD_QUERY,
  ISSUE_ITEMS_QUERY,
  PROJECT_ITEMS_QUERY,
  ADD_ITEM_MUTATION,
  SET_STATUS_MUTATION,
} as const;
