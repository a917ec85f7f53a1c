// The `score` interface of canopy:polyglot (../wit/polyglot.wit), for componentize-js 0.23.

function scoreWord(word) {
  let letters = 0;
  let vowels = 0;
  let value = 0;
  for (const ch of word) {
    letters += 1;
    if ('aeiou'.includes(ch)) vowels += 1;
    if (ch >= 'a' && ch <= 'z') value += ch.charCodeAt(0) - 96;
  }
  return { word, letters, vowels, value };
}

export const score = {
  scoreWords(words) {
    return words.map(scoreWord);
  },
};
