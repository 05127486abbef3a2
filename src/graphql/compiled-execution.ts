import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];

export interface ExecutionRequest {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
  contextValue: unknown;
}

/** How one operation of a document runs. */
type Plan =
  | { kind: "compiled"; operation: OperationDefinitionNode; query: CompiledQuery }
  | { kind: "interpreted" }
  | { kind: "refused"; result: ExecutionResult };

/**
 * Runs operations as JavaScript compiled once per document (graphql-jit), instead of walking the
 * document for every field of every row as graphql-js does: a long list's execution allocates a
 * fraction of what it did. Documents are the parsed, validated ones Apollo's document store and
 * the REST routes keep, so the cache is keyed by the document object and lives as long as it does.
 */
export class CompiledExecution {
  private readonly plans = new WeakMap<DocumentNode, Map<string, Plan>>();

  constructor(readonly schema: GraphQLSchema) {}

  async execute(request: ExecutionRequest): Promise<ExecutionResult> {
    const { document, operationName, contextValue } = request;
    const variableValues = request.variableValues ?? {};
    const plan = this.plan(document, operationName ?? undefined);
    if (plan.kind === "refused") return plan.result;
    if (plan.kind === "interpreted") {
      return execute({ schema: this.schema, document, operationName, variableValues, contextValue });
    }
    const result = await plan.query.query(undefined, contextValue, variableValues);
    // graphql-jit refuses bad variables before executing (no data) but only names the type;
    // graphql-js words the same refusal with the scalar's own reason (a JSON value nested too deep, say).
    if (result.errors && result.data === undefined && plan.operation.variableDefinitions?.length) {
      const coerced = getVariableValues(this.schema, plan.operation.variableDefinitions, variableValues);
      if (coerced.errors) return { errors: coerced.errors };
    }
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  }

  /** Compiles (or finds) a document's operation; a document that cannot run answers its errors. */
  plan(document: DocumentNode, operationName?: string): Plan {
    let byOperation = this.plans.get(document);
    if (!byOperation) {
      byOperation = new Map();
      this.plans.set(document, byOperation);
    }
    const key = operationName ?? "";
    let plan = byOperation.get(key);
    if (!plan) {
      plan = this.makePlan(document, operationName);
      byOperation.set(key, plan);
    }
    return plan;
  }

  private makePlan(document: DocumentNode, operationName?: string): Plan {
    const operation = getOperationAST(document, operationName);
    // Federation's _entities answers a list holding errors for the references it refuses; graphql-jit
    // drops such items where graphql-js nulls them in place, so those operations are interpreted.
    if (!operation || selectsEntities(operation)) return { kind: "interpreted" };
    // Stacks are never shown to callers; capturing one per resolver error only costs time.
    const query = compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
    if (!isCompiledQuery(query)) return { kind: "refused", result: query };
    return { kind: "compiled", operation, query };
  }

  /**
   * Apollo Server takes a custom executor only from a gateway: this one serves the one local
   * schema, which never changes, and executes with `execute`.
   */
  asApolloGateway(): Gateway {
    return {
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: "" });
        return () => undefined;
      },
      load: async () => ({
        executor: (request) =>
          this.execute({
            document: request.document,
            // Apollo's own operationName is the resolved operation's (null when none matched), so the
            // name the client sent is read from the request: an unknown one must fail, not run the
            // document's only operation.
            operationName: request.request.operationName,
            variableValues: request.request.variables,
            contextValue: request.context,
          }),
      }),
      stop: async () => undefined,
    };
  }
}

function selectsEntities(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === "_entities",
  );
}

/**
 * graphql-jit reports errors with an object of its own that only looks like a GraphQLError; the
 * error formatter and the REST mapper tell request errors from execution errors by the class and
 * find what was thrown in `originalError`, as with graphql-js.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error;
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  // GraphQLError derives locations only from AST nodes or a source; graphql-jit already has them.
  return Object.assign(converted, { locations: error.locations });
}
