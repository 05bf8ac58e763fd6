import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addBabyJubjubPoints,
  BABY_JUBJUB_BASE8,
  BABY_JUBJUB_IDENTITY,
  type BabyJubjubPoint,
  isOnBabyJubjub,
  BABY_JUBJUB_SUBGROUP_ORDER as l,
  mulBabyJubjubPoint,
  BN254_SCALAR_FIELD_ORDER as p,
} from '../src/index.ts';

// Known answers from go-iden3-crypto's babyjub tests (the vectors EIP-2494 implementations share).
const P1: BabyJubjubPoint = [
  17777552123799933955779906779655732241715742912184938656739573121738514868268n,
  2626589144620713026669568689430873010625803728049924121243784502389097019475n,
];
const P2: BabyJubjubPoint = [
  16540640123574156134436876038791482806971768689494387082833631921987005038935n,
  20819045374670962167435360035096875258406992893633759881276124905556507972311n,
];
const DOUBLE_P1: BabyJubjubPoint = [
  6890855772600357754907169075114257697580319025794532037257385534741338397365n,
  4338620300185947561074059802482547481416142213883829469920100239455078257889n,
];
/** EIP-2494's generator G; Base8 = 8·G. */
const GENERATOR: BabyJubjubPoint = [
  995203441582195749578291179787384436505546430278305826713579947235728471134n,
  5472060717959818805561601436314318772137091100104008585924551046643952123905n,
];

describe('Baby Jubjub known answers', () => {
  test('addition: (0,1) is neutral, P1 + P1, P1 + P2', () => {
    assert.deepEqual(addBabyJubjubPoints(BABY_JUBJUB_IDENTITY, BABY_JUBJUB_IDENTITY), [0n, 1n]);
    assert.deepEqual(addBabyJubjubPoints(BABY_JUBJUB_IDENTITY, P2), P2);
    assert.deepEqual(addBabyJubjubPoints(P1, P1), DOUBLE_P1);
    assert.deepEqual(addBabyJubjubPoints(P1, P2), [
      7916061937171219682591368294088513039687205273691143098332585753343424131937n,
      14035240266687799601661095864649209771790948434046947201833777492504781204499n,
    ]);
  });

  test('scalar multiplication: 3·P1, k·P1, k·(2·P1)', () => {
    assert.deepEqual(mulBabyJubjubPoint(P1, 3n), [
      19372461775513343691590086534037741906533799473648040012278229434133483800898n,
      9458658722007214007257525444427903161243386465067105737478306991484593958249n,
    ]);
    assert.deepEqual(
      mulBabyJubjubPoint(
        P1,
        14035240266687799601661095864649209771790948434046947201833777492504781204499n,
      ),
      [
        17070357974431721403481313912716834497662307308519659060910483826664480189605n,
        4014745322800118607127020275658861516666525056516280575712425373174125159339n,
      ],
    );
    assert.deepEqual(
      mulBabyJubjubPoint(
        DOUBLE_P1,
        20819045374670962167435360035096875258406992893633759881276124905556507972311n,
      ),
      [
        13563888653650925984868671744672725781658357821216877865297235725727006259983n,
        8442587202676550862664528699803615547505326611544120184665036919364004251662n,
      ],
    );
  });

  test('Base8 = 8·G, and l·Base8 is the neutral element (l is its order)', () => {
    assert.deepEqual(mulBabyJubjubPoint(GENERATOR, 8n), BABY_JUBJUB_BASE8);
    assert.deepEqual(mulBabyJubjubPoint(BABY_JUBJUB_BASE8, l), BABY_JUBJUB_IDENTITY);
    assert.notDeepEqual(mulBabyJubjubPoint(BABY_JUBJUB_BASE8, l - 1n), BABY_JUBJUB_IDENTITY);
    // s and s + l give one key: why the circuit insists on s < l.
    assert.deepEqual(
      mulBabyJubjubPoint(BABY_JUBJUB_BASE8, 5n),
      mulBabyJubjubPoint(BABY_JUBJUB_BASE8, l + 5n),
    );
  });

  test('points on and off the curve', () => {
    for (const point of [BABY_JUBJUB_IDENTITY, P1, P2, DOUBLE_P1, GENERATOR, BABY_JUBJUB_BASE8]) {
      assert.equal(isOnBabyJubjub(point), true);
    }
    assert.equal(isOnBabyJubjub([1n, 0n]), false);
    assert.equal(isOnBabyJubjub([P1[0], P1[1] + 1n]), false);
    assert.equal(isOnBabyJubjub([P1[0] + p, P1[1]]), false);
  });
});

describe('Baby Jubjub properties', () => {
  const scalar = fc.bigInt({ min: 0n, max: l - 1n });

  test('(a + b)·Base8 = a·Base8 + b·Base8, and results stay on the curve', () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const sum = mulBabyJubjubPoint(BABY_JUBJUB_BASE8, a + b);
        assert.deepEqual(
          sum,
          addBabyJubjubPoints(
            mulBabyJubjubPoint(BABY_JUBJUB_BASE8, a),
            mulBabyJubjubPoint(BABY_JUBJUB_BASE8, b),
          ),
        );
        assert.equal(isOnBabyJubjub(sum), true);
      }),
      { numRuns: 8 },
    );
  });
});
