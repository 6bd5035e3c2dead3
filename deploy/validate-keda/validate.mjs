// Strict offline validation of KEDA objects (keda.sh/v1alpha1, eventing.keda.sh/v1alpha1) against the models of
// npm's @kubernetes-models/keda (pinned in package.json / package-lock.json; generated from KEDA's Go API types).
//
//   node validate.mjs [file.json ...]     (no file: reads standard input)
//
// Input: JSON, one object or an array of objects (kubectl kustomize output converted to JSON).
// Output: one line per problem, "#<index> <apiVersion> <kind>/<name>: <problem>", index counting the objects
// in input order; a summary on standard error. Exit status 0: no problems; 1: problems; 2: unusable input.
//
// Checks, for every object:
//  - apiVersion and kind name a type the package has (a wrong apiVersion or a misspelt kind is a problem);
//  - the package's own validator (what `new ScaledObject(obj).validate()` runs): required fields, types,
//    enums, formats;
//  - unknown fields, which that validator does not reject (its compiled schemas have no
//    additionalProperties: false, and the package exports no JSON schema to add it to). The validator is run
//    on a Proxy of the object that records which properties it looks up and which objects it enumerates:
//    a field of an object whose declared properties were looked up, which was not itself looked up and whose
//    object was not enumerated (maps such as trigger metadata, labels, annotations are) is not in the model,
//    so the API server would prune it. An object the validator neither looks into nor enumerates has no
//    declared properties (free-form); its fields are accepted and listed on standard error.

import { readFileSync } from "node:fs";
import * as keda from "@kubernetes-models/keda";

const MODEL = "@kubernetes-models/keda " + JSON.parse(
  readFileSync(new URL("./node_modules/@kubernetes-models/keda/package.json", import.meta.url), "utf8")).version;

/** "apiVersion kind" -> model class, for every top-level type the package exports (group -> version -> type). */
const TYPES = new Map();
(function collect(exports) {
  for (const value of Object.values(exports)) {
    if (typeof value === "function") {
      if (typeof value.apiVersion === "string" && typeof value.kind === "string"
          && typeof value.prototype.validate === "function") {
        TYPES.set(value.apiVersion + " " + value.kind, value);
      }
    } else if (value !== null && typeof value === "object" && value[Symbol.toStringTag] === "Module") {
      collect(value);
    }
  }
})(keda);

function pointer(path, key) {
  return path + "/" + String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A read-only view of value that records, per object, the properties read and whether it was enumerated. */
function tracked(value, path, visits) {
  if (value === null || typeof value !== "object") {
    return value;
  }
  const visit = { path, value, read: new Set(), enumerated: false };
  visits.push(visit);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string") {
        return child;
      }
      visit.read.add(key);
      if (child !== null && typeof child === "object" && Object.hasOwn(target, key)) {
        if (!children.has(key)) {
          children.set(key, tracked(child, pointer(path, key), visits));
        }
        return children.get(key);
      }
      return child;
    },
    ownKeys(target) {
      visit.enumerated = true;
      return Reflect.ownKeys(target);
    },
    set() {
      throw new Error("the validator tried to change the object it validates");
    },
    deleteProperty() {
      throw new Error("the validator tried to change the object it validates");
    },
  });
}

/** Problems of one object; freeForm collects the paths of objects whose fields nothing could check. */
function problems(object, freeForm = []) {
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    return ["not an object"];
  }
  const type = TYPES.get(object.apiVersion + " " + object.kind);
  if (!type) {
    const known = [...TYPES.keys()].filter((k) => k.endsWith(" " + object.kind));
    return [`${MODEL} has no type ${object.apiVersion} ${object.kind}`
      + (known.length ? ` (it has ${known.join(", ")})` : "")];
  }
  const found = [];
  const visits = [];
  try {
    // Model.prototype.validate is runValidateFunc(schema, this): run it with the tracked view as `this`.
    type.prototype.validate.call(tracked(object, "", visits));
  } catch (e) {
    if (Array.isArray(e.errors)) {
      for (const error of e.errors) {
        const params = error.params && Object.keys(error.params).length ? " " + JSON.stringify(error.params) : "";
        found.push(`${error.instancePath || "/"} ${error.message}${params}`);
      }
    } else {
      found.push("validator failed: " + e.message);
    }
  }
  for (const visit of visits) {
    if (Array.isArray(visit.value) || visit.enumerated) {
      continue;
    }
    if (visit.read.size === 0) {
      if (Object.keys(visit.value).length > 0 && found.length === 0) {
        freeForm.push(visit.path); // (an object of the wrong type is not looked into either: not listed then)
      }
      continue;
    }
    for (const key of Object.keys(visit.value)) {
      if (!visit.read.has(key)) {
        found.push(`${pointer(visit.path, key)} is not a field of ${type.apiVersion} ${type.kind} in ${MODEL}`);
      }
    }
  }
  return found;
}

function main(files) {
  const inputs = [];
  try {
    const texts = files.length ? files.map((f) => readFileSync(f, "utf8")) : [readFileSync(0, "utf8")];
    for (const text of texts) {
      const parsed = JSON.parse(text);
      inputs.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    }
  } catch (e) {
    console.error("validate-keda: cannot read the input as JSON: " + e.message);
    return 2;
  }
  let count = 0;
  const freeForm = [];
  inputs.forEach((object, index) => {
    const name = object && object.metadata && object.metadata.name;
    for (const problem of problems(object, freeForm)) {
      console.log(`#${index} ${object && object.apiVersion} ${object && object.kind}/${name}: ${problem}`);
      count++;
    }
  });
  console.error(`validate-keda: ${inputs.length} object(s) checked against ${MODEL} (${TYPES.size} types), `
    + `${count} problem(s)` + (freeForm.length ? `; free-form, not checked: ${freeForm.join(", ")}` : ""));
  return count === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
